"""One queued item: its entries and states, changeable only while nothing is sending.

編集 changes the common text, the time, the category, the attachments and their alt texts in
place (`compose.update_item` with the version the dialog read, checked as the composer checks;
if someone else changed the item first, the dialog says so and reloads it). An approved
emergency post that is changed is held at send time until the chief approves it again.
投稿先を変えて作り直す… loads the item into the composer instead (other channels: the old item
is cancelled when the new one is queued). 取り消し cancels every entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Item
from kodaira_desktop.domain.states import EDITABLE_STATES, EntryState
from kodaira_desktop.domain.text_rules import check_text
from kodaira_desktop.services import compose, queries, repeats
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR, OK_COLOUR, channel_label
from kodaira_desktop.ui.channel_tab import counter_text, is_over_limit
from kodaira_desktop.ui.composer_queueing import is_schedule_problem
from kodaira_desktop.ui.item_content_editor import ItemContentEditor
from kodaira_desktop.ui.queue_model import COLUMN_TEXT, EntryTableModel
from kodaira_desktop.ui.schedule_picker import SchedulePicker
from kodaira_desktop.ui.workers import TaskRunner

#: States in which nothing has been sent yet, so the whole item may still change.
_NOT_SENDING = EDITABLE_STATES | {EntryState.CANCELLED}


def may_change(item: Item) -> bool:
    """True while some entry is still editable and none is sending or sent."""
    states = {e.state for e in item.entries}
    return bool(states & EDITABLE_STATES) and states <= _NOT_SENDING


def edit_request(
    item: Item,
    text: str,
    at: datetime,
    *,
    category: str | None = None,
    media: tuple[Path, ...] = (),
    alt_texts: tuple[str, ...] = (),
    image_urls: tuple[str, ...] = (),
) -> ComposeRequest:
    """The item as queued, with a new common text and time (channels, per-channel texts and
    title stay; category and attachments as given, for `update_item(replace_attachments)`)."""
    live = [e for e in item.entries if e.state != EntryState.CANCELLED]
    return ComposeRequest(
        text=text,
        channels=tuple(e.channel_key for e in live),
        overrides={e.channel_key: e.text_override for e in live if e.text_override is not None},
        title=next((e.title for e in live if e.title), None),
        category=item.category or "" if category is None else category,
        at=at,
        media=media,
        alt_texts=alt_texts,
        image_urls=image_urls,
    )


@dataclass(frozen=True)
class SaveOutcome:
    item: Item
    #: The service's refusal when the item had changed under us (``item`` is then fresh).
    conflict: str | None = None


def save_item(
    ctx: AppContext,
    item_id: int,
    request: ComposeRequest,
    version: int,
    *,
    replace_attachments: bool = False,
) -> SaveOutcome:
    """Worker-thread body: update in place; a refusal because the item changed meanwhile
    comes back with the item as it now is, any other refusal is raised."""
    try:
        return SaveOutcome(
            compose.update_item(
                ctx, item_id, request, version, replace_attachments=replace_attachments
            )
        )
    except ServiceError as error:
        fresh = compose.get_item(ctx, item_id)
        if fresh.version == version and may_change(fresh):
            raise
        return SaveOutcome(fresh, str(error))


class ItemDialog(QDialog):
    editRequested = Signal(object)  # noqa: N815 — the Item, to remake in the composer
    itemCancelled = Signal(int)  # noqa: N815
    itemChanged = Signal(int)  # noqa: N815 — saved in place (or found changed by someone else)

    def __init__(
        self,
        ctx: AppContext,
        item: Item,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.runner = runner or TaskRunner(self)
        self.editing = False
        self.summary = QLabel()
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("本文")
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(110)
        self.picker = SchedulePicker(ctx.policy, ctx.clock)
        self.picker.changed.connect(self._update_buttons)
        self.picker.hide()
        self.override_note = QLabel()
        self.override_note.setWordWrap(True)
        self.override_note.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.override_note.hide()
        self.model = EntryTableModel(ctx.policy, self)
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName("投稿先ごとの状態")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(COLUMN_TEXT, QHeaderView.ResizeMode.Stretch)
        self.table = table
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet(f"color: {OK_COLOUR};")
        #: While editing: each channel's count against its limit, as in the composer.
        self.counters = QLabel()
        self.counters.setWordWrap(True)
        self.counters.hide()
        self._platforms = {c.key: c.platform for c in queries.channels(ctx)}
        self.content = ItemContentEditor()
        self.content.changed.connect(self._update_buttons)
        self.content.hide()
        self.approval_note = QLabel()
        self.approval_note.setWordWrap(True)
        self.approval_note.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.approval_note.hide()
        self._build_buttons()
        editor = QVBoxLayout()
        editor.addWidget(self.text, 1)
        editor.addWidget(self.counters)
        editor.addWidget(self.override_note)
        editor.addWidget(self.content)
        editor.addWidget(self.approval_note)
        top = QHBoxLayout()
        top.addLayout(editor, 1)
        top.addWidget(self.picker)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.buttons)
        self.show_item(item)
        self.resize(760, 420)

    def _build_buttons(self) -> None:
        self.edit_button = QPushButton("編集（本文・日時・分類・添付）")
        self.edit_button.setToolTip(
            "この項目のまま、共通の本文・予約日時・分類・添付ファイルと代替テキストを変更します"
            "（投稿先は変わりません）。"
        )
        self.save_button = QPushButton("保存")
        self.stop_button = QPushButton("編集をやめる")
        self.recreate_button = QPushButton("投稿先を変えて作り直す…")
        self.recreate_button.setToolTip(
            "投稿先を変えるときは、作成画面で新しい項目として予約し直します"
            "（予約すると元の項目は取り消されます）。"
        )
        self.cancel_button = QPushButton("予約を取り消す")
        self.edit_button.clicked.connect(self.start_editing)
        self.save_button.clicked.connect(self.save)
        self.stop_button.clicked.connect(self.stop_editing)
        self.recreate_button.clicked.connect(self._recreate)
        self.cancel_button.clicked.connect(self._cancel)
        self.cancel_series_button = QPushButton("この回以降の繰り返しを取り消す")
        self.cancel_series_button.clicked.connect(self._cancel_series)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        role = QDialogButtonBox.ButtonRole
        for button in (self.edit_button, self.save_button, self.stop_button):
            self.buttons.addButton(button, role.ActionRole)
        self.buttons.addButton(self.recreate_button, role.ActionRole)
        self.buttons.addButton(self.cancel_button, role.DestructiveRole)
        self.buttons.addButton(self.cancel_series_button, role.DestructiveRole)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText("閉じる")
        self.buttons.rejected.connect(self.reject)

    # -- showing ---------------------------------------------------------------------------

    def show_item(self, item: Item) -> None:
        self.item = item
        self.setWindowTitle(f"項目 #{item.id}")
        self.summary.setText(
            f"項目 #{item.id}　分類：{item.category or '―'}　作成者：{item.author}　"
            f"作成：{format_instant(self.ctx.policy.localize(item.created_at))}"
        )
        self.text.setPlainText(item.text)
        self.model.set_entries(list(item.entries))
        self.table.resizeColumnsToContents()
        own = [e.channel_key for e in item.entries if e.text_override is not None]
        self.override_note.setText(
            "（注）"
            + "、".join(channel_label(k) for k in own)
            + " は媒体ごとの本文で送るため、共通の本文を変えても変わりません。"
            if own
            else ""
        )
        if not may_change(item):
            self.message.setText("送信中・送信済みの媒体があるため、この項目は変更できません。")
        self._update_buttons()

    def _update_buttons(self) -> None:
        changeable = may_change(self.item)
        busy = self.runner.busy
        for button in (self.edit_button, self.recreate_button, self.cancel_button):
            button.setVisible(not self.editing)
            button.setEnabled(changeable and not busy)
        self.cancel_series_button.setVisible(not self.editing and self.item.series_id is not None)
        self.cancel_series_button.setEnabled(changeable and not busy)
        for button in (self.save_button, self.stop_button):
            button.setVisible(self.editing)
        self.save_button.setEnabled(
            self.editing
            and not busy
            and bool(self.text.toPlainText().strip())
            and self.picker.problem is None
            and self._check_edit()
        )
        self.save_button.setText("保存しています…" if busy else "保存")

    # -- editing in place ------------------------------------------------------------------

    def start_editing(self) -> None:
        live = [e for e in self.item.entries if e.state != EntryState.CANCELLED]
        if not live:
            return
        self.editing = True
        self.message.clear()
        self.saved_label.clear()
        self.text.setReadOnly(False)
        self.text.textChanged.connect(self._update_buttons)
        self.text.textChanged.connect(self._update_counters)
        self.picker.set_chosen(min(e.scheduled_at for e in live))
        self.picker.show()
        self.content.load(self.ctx, self.item)
        self.content.show()
        self.approval_note.setText(
            "（注）緊急投稿として申請中・承認済みの項目です。内容を変えると、"
            "課長の承認（署名）はその内容に対してやり直しになります。"
            if any(e.state == EntryState.AWAITING_APPROVAL for e in live)
            or queries.has_approved_override(self.ctx, self.item.id)
            else ""
        )
        self.approval_note.setVisible(bool(self.approval_note.text()))
        self.override_note.setVisible(bool(self.override_note.text()))
        self.resize(max(self.width(), 960), max(self.height(), 860))
        self.text.setFocus()
        self.counters.show()
        self._update_counters()
        self._update_buttons()

    def _update_counters(self) -> None:
        """Per-channel counts of the common text (channels with their own text keep it)."""
        text = self.text.toPlainText()
        parts = []
        for entry in self.item.entries:
            platform = self._platforms.get(entry.channel_key)
            if entry.state == EntryState.CANCELLED or platform is None:
                continue
            if entry.text != self.item.text:
                continue  # this channel has its own text, which 編集 does not change
            result = check_text(platform, text, title=entry.title)
            colour = ERROR_COLOUR if is_over_limit(result) else MUTED_COLOUR
            parts.append(
                f"<span style='color:{colour}'>{channel_label(entry.channel_key)}："
                f"{counter_text(result)}</span>"
            )
        self.counters.setText("　".join(parts))

    def stop_editing(self) -> None:
        if self.editing:
            self.text.textChanged.disconnect(self._update_buttons)
            self.text.textChanged.disconnect(self._update_counters)
        self.editing = False
        self.text.setReadOnly(True)
        self.text.setPlainText(self.item.text)
        self.counters.hide()
        self.picker.hide()
        self.override_note.hide()
        self.content.hide()
        self.approval_note.hide()
        self._update_buttons()

    def save(self) -> None:
        at = self.picker.shown_at()
        if not self.editing or at is None:
            return
        ctx, item_id, version = self.ctx, self.item.id, self.item.version
        request = self.edited_request(at)
        self.message.clear()
        self.runner.start(
            lambda: save_item(ctx, item_id, request, version, replace_attachments=True),
            self._saved,
            self._save_failed,
        )
        self._update_buttons()

    def edited_request(self, at: datetime) -> ComposeRequest:
        return edit_request(
            self.item,
            self.text.toPlainText(),
            at,
            category=self.content.category_text(),
            media=self.content.media(),
            alt_texts=self.content.alt_texts.alt_texts(),
            image_urls=self.content.image_urls(),
        )

    def _check_edit(self) -> bool:
        """The composer's check on the edited item (media decoded once, cached per file);
        its problems are shown under the table."""
        at = self.picker.shown_at()
        if not self.editing or at is None:
            return True
        try:
            result = compose.check(self.ctx, self.edited_request(at))
        except ServiceError as error:
            self.message.setText(str(error))
            return False
        problems = [p for p in result.problems if not is_schedule_problem(p)]
        problems += [p for found in result.channel_problems.values() for p in found]
        self.message.setText("\n".join(f"・{p}" for p in dict.fromkeys(problems)))
        return not problems

    def _saved(self, outcome: SaveOutcome) -> None:
        self.stop_editing()
        self.show_item(outcome.item)
        if outcome.conflict is None:
            self.saved_label.setText("保存しました。")
        else:
            self.message.setText(
                f"保存できませんでした：{outcome.conflict}"
                "（ほかの人が先に変更しました。最新の内容を読み込み直しました）"
            )
        self.itemChanged.emit(outcome.item.id)

    def _save_failed(self, message: str) -> None:
        self.message.setText(f"保存できませんでした：{message}")
        self._update_buttons()

    # -- the other actions -----------------------------------------------------------------

    def _recreate(self) -> None:
        self.editRequested.emit(self.item)
        self.accept()

    def _cancel(self) -> None:
        if not prompts.confirm(
            self,
            "予約の取り消し",
            f"項目 #{self.item.id} の予約をすべての媒体で取り消します。よろしいですか？",
        ):
            return
        try:
            compose.cancel_item(self.ctx, self.item.id)
        except ServiceError as error:
            self.message.setText(f"取り消せませんでした：{error}")
            return
        self.itemCancelled.emit(self.item.id)
        self.accept()

    def _cancel_series(self) -> None:
        """「この回以降」: this item and the later ones of its repeat."""
        if not prompts.confirm(
            self,
            "繰り返しの取り消し",
            f"項目 #{self.item.id} と、それ以降の同じ繰り返しの予約をすべて取り消します。"
            "よろしいですか？",
        ):
            return
        try:
            repeats.cancel_from(self.ctx, self.item.id)
        except ServiceError as error:
            self.message.setText(f"取り消せませんでした：{error}")
            return
        self.itemCancelled.emit(self.item.id)
        self.accept()
