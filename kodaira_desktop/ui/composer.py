"""The composer: one text cross-posted to the channels the user is designated for.

Counters update on every keystroke (pure text rules); the full check (`compose.check`: policy,
media, designations) runs shortly after typing stops, and 予約 stays disabled until it passes.
Queueing (which copies media) runs on a worker thread. The draft is autosaved.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Channel, Item, User
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import channels as channel_service
from kodaira_desktop.services import compose, media
from kodaira_desktop.services.compose import ComposeCheck, ComposeRequest, Submitted
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.alt_text_editor import AltTextEditor
from kodaira_desktop.ui.attachments import AttachmentList
from kodaira_desktop.ui.channel_style import (
    ERROR_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    channel_label,
    ordered_channel_keys,
)
from kodaira_desktop.ui.channel_tab import ChannelTab
from kodaira_desktop.ui.confirm_dialog import CONFIRM_HERE, OnTheSpotDialog
from kodaira_desktop.ui.drafts import Draft, DraftStore, draft_from_item
from kodaira_desktop.ui.emergency_dialog import EmergencyDialog
from kodaira_desktop.ui.repeat_control import RepeatChoice, RepeatControl, queue_repeating
from kodaira_desktop.ui.schedule_picker import SchedulePicker
from kodaira_desktop.ui.template_picker import TemplatePicker, template_draft
from kodaira_desktop.ui.workers import TaskRunner

#: A focus ring that shows on every style (the Fusion and Windows styles draw a faint one).
FOCUS_STYLE = (
    "QPushButton:focus, QCheckBox:focus, QComboBox:focus, QToolButton:focus"
    " { outline: 2px solid #1565c0; border: 2px solid #1565c0; border-radius: 3px; }"
)
CHECK_DELAY_MS = 150
#: How long 「予約しました…」 stays before it fades (it also goes when the next post is typed).
RESULT_FADE_MS = 20_000
AUTOSAVE_DELAY_MS = 800
CATEGORIES = (
    "お知らせ",
    "防災・緊急",
    "イベント",
    "市長の活動",
    "子育て・教育",
    "健康・福祉",
    "観光・魅力発信",
)


Repeat = tuple[RepeatChoice, datetime]


@dataclass(frozen=True)
class SubmitOutcome:
    submitted: Submitted
    replaced_item_id: int | None
    #: Items queued by a repeat (1 for a single post).
    count: int = 1


def _queue(
    ctx: AppContext, request: ComposeRequest, replaces: int | None, repeat: Repeat | None = None
) -> SubmitOutcome:
    """Worker-thread body: check, cancel the item being edited, queue the new one(s)."""
    result = compose.check(ctx, request)
    if not result.ok:
        raise ServiceError(result.summary(), invalid=True)
    if repeat is not None:  # queued (all or nothing) before the edited item is cancelled
        first, count = queue_repeating(ctx, request, *repeat)
        if replaces is not None:
            compose.cancel_item(ctx, replaces)
        return SubmitOutcome(first, replaces, count)
    if replaces is not None:
        compose.cancel_item(ctx, replaces)
    return SubmitOutcome(compose.submit(ctx, request), replaces)


def _is_schedule_problem(problem: str) -> bool:
    return "次に投稿できるのは" in problem or problem.startswith("過去の日時")


class Composer(QWidget):
    checked = Signal(object)  # ComposeCheck
    submitted = Signal(object)  # SubmitOutcome
    submitFailed = Signal(str)  # noqa: N815 — Qt signal naming
    draftSaved = Signal()  # noqa: N815
    #: The chief approved or rejected an emergency request on this PC (the OverrideRequest).
    overrideDecided = Signal(object)  # noqa: N815

    def __init__(
        self,
        ctx: AppContext,
        user: User,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.runner = runner
        self.drafts = DraftStore(ctx.paths.drafts_dir, user.login)
        self.editing_item_id: int | None = None
        self.emergency_dialog: EmergencyDialog | None = None
        self.last_check: ComposeCheck | None = None
        self._busy = False
        self._restoring = False
        self._line_ticked = False
        self._quota_pending = False
        usable = {c.key: c for c in compose.allowed_channels(ctx, user)}
        self.channels: list[Channel] = [usable[k] for k in ordered_channel_keys(list(usable))]

        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        self._save_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_draft)

        self._build()
        self._restore_draft()
        self.run_check()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff8e1; padding: 6px; border-radius: 4px;")
        self.banner.hide()
        self.stop_editing = QPushButton("編集をやめる")
        self.stop_editing.clicked.connect(self.clear)
        self.stop_editing.hide()
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.stop_editing)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setTabChangesFocus(True)  # Tab moves on; a post never needs a tab
        self.text_edit.setAccessibleName("本文（共通）")
        self.text_edit.setPlaceholderText("投稿する本文（すべての媒体に共通）")
        self.text_edit.setMinimumHeight(90)
        self.text_edit.setMaximumHeight(130)
        self.text_edit.textChanged.connect(self._on_common_text_changed)

        self.channel_boxes: dict[str, QCheckBox] = {}
        channel_row = QHBoxLayout()
        channel_row.addWidget(QLabel("投稿先："))
        for channel in self.channels:
            box = QCheckBox(channel_label(channel.key))
            box.setToolTip(channel.display_name)
            box.toggled.connect(self._on_channels_changed)
            self.channel_boxes[channel.key] = box
            channel_row.addWidget(box)
        if not self.channels:
            channel_row.addWidget(
                QLabel("担当に指定された媒体がありません。秘書広報課長に指定を依頼してください。")
            )
        channel_row.addStretch(1)

        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.setAccessibleName("分類")
        self.category.addItems(CATEGORIES)
        self.category.currentTextChanged.connect(self._on_changed)
        category_row = QHBoxLayout()
        category_row.addWidget(QLabel("分類："))
        category_row.addWidget(self.category)
        category_row.addStretch(1)
        self.templates = TemplatePicker(self.ctx, self.user, self.runner, self._current_post)
        self.templates.chosen.connect(
            lambda t: self.apply_draft(template_draft(t, self.current_draft()))
        )
        category_row.addWidget(self.templates)

        self.attachments = AttachmentList()
        self.attachments.changed.connect(self._on_media_changed)
        self.alt_texts = AltTextEditor()
        self.attachments.changed.connect(lambda: self.alt_texts.set_paths(self.attachments.paths()))
        self.alt_texts.changed.connect(self._on_changed)

        self.tabs = QTabWidget()
        self.channel_tabs: dict[str, ChannelTab] = {}
        for channel in self.channels:
            tab = ChannelTab(channel)
            tab.changed.connect(self._on_changed)
            self.channel_tabs[channel.key] = tab
            self.tabs.addTab(tab, channel_label(channel.key))
        self.tabs.setMinimumHeight(340)
        no_channel = QLabel(
            "投稿先を選ぶと、媒体ごとの本文・文字数・プレビューがここに表示されます。"
        )
        no_channel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        no_channel.setStyleSheet("color: #757575; border: 1px dashed #bdbdbd;")
        self.tab_stack = QStackedWidget()
        self.tab_stack.addWidget(no_channel)
        self.tab_stack.addWidget(self.tabs)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet(f"color: {OK_COLOUR};")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_result = QPushButton("×")
        self.dismiss_result.setFixedWidth(28)
        self.dismiss_result.setToolTip("このお知らせを閉じる")
        self.dismiss_result.setAccessibleName("お知らせを閉じる")
        self.dismiss_result.clicked.connect(lambda: self._show_result(""))
        self.dismiss_result.hide()
        self._result_timer = QTimer(self, singleShot=True, interval=RESULT_FADE_MS)
        self._result_timer.timeout.connect(lambda: self._show_result(""))
        #: Why 予約 is disabled, beside the button (empty while it is enabled).
        self.schedule_reason = QLabel()
        self.schedule_reason.setWordWrap(True)
        self.schedule_reason.setStyleSheet(f"color: {MUTED_COLOUR};")

        form = QWidget()
        left = QVBoxLayout(form)
        left.addLayout(banner_row)
        left.addWidget(QLabel("本文（共通）"))
        left.addWidget(self.text_edit)
        left.addLayout(channel_row)
        left.addLayout(category_row)
        left.addWidget(QLabel("添付ファイル"))
        left.addWidget(self.attachments)
        left.addWidget(self.alt_texts)
        left.addWidget(QLabel("媒体ごとの本文とプレビュー"))
        left.addWidget(self.tab_stack, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("投稿の入力欄")
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll = scroll
        scroll.setWidget(form)

        self.picker = SchedulePicker(self.ctx.policy, self.ctx.clock)
        self.picker.changed.connect(self._on_changed)
        schedule_group = QGroupBox("予約日時")
        QVBoxLayout(schedule_group).addWidget(self.picker)
        self.repeat = RepeatControl(self.ctx.policy)
        self.picker.changed.connect(lambda: self.repeat.set_start(self.picker.shown_at()))
        self.repeat.set_start(self.picker.shown_at())
        self.schedule_button = QPushButton("予約")
        self.schedule_button.setMinimumHeight(36)
        self.schedule_button.setStyleSheet("font-weight: bold;")
        self.schedule_button.clicked.connect(self.schedule)
        self.emergency_button = QPushButton("緊急投稿…")
        self.emergency_button.setToolTip("投稿時間外に投稿します。課長の承認が必要です。")
        self.emergency_button.clicked.connect(self.open_emergency_dialog)
        self.clear_button = QPushButton("新規（下書きを消去）")
        self.clear_button.clicked.connect(self.discard_draft)
        self.undo_button = QPushButton("消去を元に戻す")
        self.undo_button.clicked.connect(self.undo_discard)
        self.undo_button.hide()
        self._discarded: Draft | None = None
        side = QWidget()
        side.setMaximumWidth(380)
        right = QVBoxLayout(side)
        right.addWidget(schedule_group)
        right.addWidget(self.repeat)
        right.addWidget(self.problems)
        right.addWidget(self.notes)
        right.addWidget(self.schedule_button)
        right.addWidget(self.schedule_reason)
        right.addWidget(self.emergency_button)
        right.addWidget(self.clear_button)
        right.addWidget(self.undo_button)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.dismiss_result, 0, Qt.AlignmentFlag.AlignTop)
        right.addLayout(result_row)
        self.confirm_here_button = QPushButton(f"{CONFIRM_HERE}…")
        self.confirm_here_button.setToolTip("課長がこの場にいるときは、このPCで承認できます。")
        self.confirm_here_button.clicked.connect(self.open_confirm_here)
        self.confirm_here_button.hide()
        self.awaiting_item_id: int | None = None
        self.confirm_dialog: OnTheSpotDialog | None = None
        right.addWidget(self.confirm_here_button)
        right.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setStyleSheet(FOCUS_STYLE)
        self._set_tab_order()
        schedule_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        schedule_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        schedule_shortcut.activated.connect(self.schedule)
        enter_shortcut = QShortcut(QKeySequence("Ctrl+Enter"), self)
        enter_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        enter_shortcut.activated.connect(self.schedule)
        self.schedule_button.setToolTip("予約します（Ctrl+Enter）")
        self._on_channels_changed()

    def _set_tab_order(self) -> None:
        """Text → channels → category → attachments → per-channel tabs → date → time → 予約 →
        the other buttons: the order in which a person fills the form in."""
        order: list[QWidget] = [
            self.stop_editing,
            self.text_edit,
            *self.channel_boxes.values(),
            self.category,
            self.attachments.add_button,
            self.attachments.remove_button,
            self.attachments.view,
            self.tabs,
            self.picker.calendar,
            self.picker.time_box,
            self.schedule_button,
            self.picker.use_suggestion,
            self.emergency_button,
            self.clear_button,
            self.undo_button,
            self.dismiss_result,
            self.confirm_here_button,
        ]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    # -- reading the form ------------------------------------------------------------------

    def selected_channels(self) -> list[str]:
        return [k for k, box in self.channel_boxes.items() if box.isChecked()]

    def build_request(self) -> ComposeRequest:
        chosen = self.selected_channels()
        overrides = {
            key: text
            for key in chosen
            if (text := self.channel_tabs[key].override_text()) is not None
        }
        youtube = [
            self.channel_tabs[k] for k in chosen if self.channel_tabs[k].platform == "youtube"
        ]
        line = [self.channel_tabs[k] for k in chosen if self.channel_tabs[k].platform == "line"]
        return ComposeRequest(
            text=self.text_edit.toPlainText(),
            channels=tuple(chosen),
            overrides=overrides,
            title=youtube[0].title() if youtube else None,
            media=tuple(self.attachments.paths()),
            alt_texts=self.alt_texts.alt_texts(),
            image_urls=tuple(line[0].image_urls()) if line else (),
            category=self.category.currentText().strip() or CATEGORIES[0],
            at=self.picker.chosen_at(),
            fill_placeholders=True,  # 定型文's {日付} etc., from the scheduled time
        )

    def _current_post(self) -> tuple[str, tuple[str, ...], str]:
        return (
            self.text_edit.toPlainText(),
            tuple(self.selected_channels()),
            self.category.currentText(),
        )

    # -- checking --------------------------------------------------------------------------

    def _show_result(self, message: str) -> None:
        """The outcome of the last action (「予約しました…」), dismissable and fading."""
        self.result_label.setText(message)
        self.dismiss_result.setVisible(bool(message))
        if message:
            self._result_timer.start()
        else:
            self._result_timer.stop()

    def is_pristine(self) -> bool:
        """Nothing typed or attached yet: problems would be noise, not help."""
        return self.current_draft().is_empty and self.editing_item_id is None

    def _on_common_text_changed(self) -> None:
        text = self.text_edit.toPlainText()
        if text and self.result_label.text() and not self._restoring:
            self._show_result("")  # the next post is being written
        for tab in self.channel_tabs.values():
            tab.set_common_text(text)
        self._on_changed()

    def _on_media_changed(self) -> None:
        paths = self.attachments.paths()
        for tab in self.channel_tabs.values():
            tab.set_media(paths)
        self._on_changed()

    def _on_channels_changed(self) -> None:
        for key, tab in self.channel_tabs.items():
            self.tabs.setTabVisible(self.tabs.indexOf(tab), self.channel_boxes[key].isChecked())
        self.tab_stack.setCurrentIndex(1 if self.selected_channels() else 0)
        self._fetch_line_quota_if_ticked()
        self._on_changed()

    def _fetch_line_quota_if_ticked(self) -> None:
        """Ask LINE for this month's count when LINE gets ticked (on a worker)."""
        line = [t for t in self.channel_tabs.values() if t.platform == "line"]
        ticked = bool(line) and self.channel_boxes[line[0].key].isChecked()
        if ticked and not self._line_ticked and not self._quota_pending:
            self._quota_pending = True
            ctx, key, tab = self.ctx, line[0].key, line[0]

            def show(text: str | None) -> None:
                self._quota_pending = False
                tab.set_quota(text)

            self.runner.start(
                lambda: channel_service.line_quota(ctx, key), show, lambda _: show(None)
            )
        self._line_ticked = ticked

    def _on_changed(self) -> None:
        if self._restoring:
            return
        # 予約 stays as it is until the check has run (schedule() checks again anyway):
        # disabling it here would make Tab skip it while focus leaves the time field.
        self._check_timer.start()
        self._save_timer.start()

    def run_check(self) -> ComposeCheck | None:
        self._check_timer.stop()
        try:
            result = compose.check(self.ctx, self.build_request(), self.user)
        except ServiceError as error:
            self._show_general_problems([str(error)])
            self.schedule_button.setEnabled(False)
            return None
        self.last_check = result
        self._show_check(result)
        self.checked.emit(result)
        return result

    def _show_check(self, result: ComposeCheck) -> None:
        bar = self.tabs.tabBar()
        pristine = self.is_pristine()
        for key, tab in self.channel_tabs.items():
            found = () if pristine else result.channel_problems.get(key, ())
            tab.show_problems(found)
            index = self.tabs.indexOf(tab)
            marked = bool(found) and self.channel_boxes[key].isChecked()
            self.tabs.setTabText(index, ("⚠ " if marked else "") + channel_label(key))
            bar.setTabTextColor(index, Qt.GlobalColor.red if marked else Qt.GlobalColor.black)
            self.tabs.setTabToolTip(index, "\n".join(found))
            box = self.channel_boxes[key]
            box.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;" if marked else "")
            box.setToolTip("\n".join(found) if marked else tab.channel.display_name)
            box.setProperty("hasProblem", marked)
        general = [] if pristine else list(result.problems)
        if self.picker.problem is not None:
            # The picker already says what is wrong with the time, with the next slot.
            general = [p for p in general if not _is_schedule_problem(p)]
        self._show_general_problems(general, result.notes)
        self.schedule_button.setEnabled(self.can_schedule(result))
        self.schedule_reason.setText(self._why_not_schedulable(result, pristine))

    def _why_not_schedulable(self, result: ComposeCheck, pristine: bool) -> str:
        if self.can_schedule(result):
            return ""
        if self._busy:
            return ""
        if not self.selected_channels():
            return "投稿先を選んでください。"
        if pristine:
            return "本文を入力すると予約できます。"
        if self.picker.problem is not None:
            return "予約日時を直してください（上の案内を参照）。"
        return "上に示した問題を直すと予約できます。"

    def _show_general_problems(self, problems: list[str], notes: tuple[str, ...] = ()) -> None:
        self.problems.setText("\n".join(f"・{p}" for p in problems))
        self.problems.setVisible(bool(problems))
        self.notes.setText("\n".join(f"（注）{n}" for n in notes))
        self.notes.setVisible(bool(notes))

    @property
    def check_pending(self) -> bool:
        """Typing happened and the full check has not run yet."""
        return self._check_timer.isActive()

    def can_schedule(self, result: ComposeCheck | None = None) -> bool:
        result = result or self.last_check
        return result is not None and result.ok and self.picker.problem is None and not self._busy

    # -- queueing --------------------------------------------------------------------------

    def schedule(self) -> None:
        result = self.run_check()
        if result is None or not self.can_schedule(result):
            return
        self._submit(self.build_request())

    def open_emergency_dialog(self) -> EmergencyDialog:
        dialog = EmergencyDialog(self.ctx.policy, self.ctx.clock.now(), self)
        dialog.accepted.connect(lambda: self._submit_emergency(dialog))
        self.emergency_dialog = dialog
        dialog.open()
        return dialog

    def _submit_emergency(self, dialog: EmergencyDialog) -> None:
        chosen = dialog.chosen_at()
        at = chosen if chosen > self.ctx.clock.now() else None  # "now" or a moment ago
        request = dataclasses.replace(
            self.build_request(), at=at, emergency_reason=dialog.reason_text()
        )
        self._submit(request)

    def _submit(self, request: ComposeRequest) -> None:
        self._set_busy(True)
        ctx, replaces = self.ctx, self.editing_item_id
        choice, start = self.repeat.choice(), self.picker.shown_at()
        repeat = (choice, start) if choice and start and not request.emergency_reason else None
        self.runner.start(
            lambda: _queue(ctx, request, replaces, repeat),
            self._on_submitted,
            self._on_submit_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.schedule_button.setEnabled(not busy and self.can_schedule())
        self.emergency_button.setEnabled(not busy)
        self.schedule_button.setText("予約しています…" if busy else "予約")

    def _on_submitted(self, outcome: SubmitOutcome) -> None:
        self._set_busy(False)
        done = outcome.submitted
        when = format_instant(self.ctx.policy.localize(done.scheduled_at))
        if done.state == EntryState.AWAITING_APPROVAL:
            message = (
                f"緊急投稿を受け付けました（項目 #{done.item_id}、{when}）。課長の確認待ちです。"
            )
        else:
            message = f"予約しました（項目 #{done.item_id}、{when}）。"
        if outcome.count > 1:
            message = (
                f"繰り返し {outcome.count} 回分を予約しました"
                f"（最初は項目 #{done.item_id}、{when}）。"
            )
        if outcome.replaced_item_id is not None:
            message += f" 元の項目 #{outcome.replaced_item_id} は取り消しました。"
        self.clear()
        self._show_result(message)
        if done.state == EntryState.AWAITING_APPROVAL:
            self.awaiting_item_id = done.item_id
            self.confirm_here_button.show()
        self.submitted.emit(outcome)

    def _on_submit_failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_general_problems([f"予約できませんでした：{message}"])
        self.submitFailed.emit(message)

    # -- drafts ----------------------------------------------------------------------------

    def current_draft(self) -> Draft:
        parts = self.picker.chosen_parts()
        line = [t for t in self.channel_tabs.values() if t.platform == "line"]
        youtube = [t for t in self.channel_tabs.values() if t.platform == "youtube"]
        return Draft(
            text=self.text_edit.toPlainText(),
            channels=tuple(self.selected_channels()),
            overrides={
                k: text
                for k, tab in self.channel_tabs.items()
                if (text := tab.override_text()) is not None
            },
            title=youtube[0].title() if youtube else "",
            media=tuple(str(p) for p in self.attachments.paths()),
            image_urls=tuple(line[0].image_urls()) if line else (),
            category=self.category.currentText(),
            date=parts[0] if parts else None,
            time=parts[1] if parts else None,
            editing_item_id=self.editing_item_id,
        )

    def save_draft(self) -> None:
        self._save_timer.stop()
        draft = self.current_draft()
        if draft.is_empty and draft.editing_item_id is None:
            self.drafts.clear()
        else:
            self.drafts.save(draft)
        self.draftSaved.emit()

    def flush_draft(self) -> None:
        """Save now if a save is pending (the window is closing)."""
        if self._save_timer.isActive():
            self.save_draft()

    def _restore_draft(self) -> None:
        draft = self.drafts.load()
        if draft is None or (draft.is_empty and draft.editing_item_id is None):
            return
        self.apply_draft(draft)
        self._show_banner("前回の下書きを復元しました。")

    def apply_draft(self, draft: Draft) -> None:
        self._restoring = True
        try:
            self.text_edit.setPlainText(draft.text)
            for key, box in self.channel_boxes.items():
                box.setChecked(key in draft.channels)
            for key, tab in self.channel_tabs.items():
                tab.set_override(draft.overrides.get(key))
                if tab.platform == "youtube":
                    tab.title_edit.setText(draft.title)
                if tab.platform == "line":
                    tab.line_urls.setPlainText("\n".join(draft.image_urls))
            self.attachments.set_paths([Path(p) for p in draft.media])
            self.category.setCurrentText(draft.category or CATEGORIES[0])
            self.picker.restore(draft.date, draft.time)
            self.editing_item_id = draft.editing_item_id
        finally:
            self._restoring = False
        self._on_changed()

    def _show_banner(self, text: str | None) -> None:
        self.banner.setText(text or "")
        self.banner.setVisible(bool(text))
        self.stop_editing.setVisible(self.editing_item_id is not None)

    # -- editing and clearing --------------------------------------------------------------

    def load_item(self, item: Item) -> None:
        """Put a queued item in the composer; 予約 then replaces it (new item, old cancelled)."""
        paths = [media.stored_path(self.ctx, m.media) for m in item.media]
        draft = draft_from_item(item, paths, self.ctx.policy.zone)
        self.apply_draft(draft)
        self._show_banner(
            f"項目 #{item.id} を編集中です。"
            "予約し直すと、元の予約は取り消されて新しい項目になります。"
        )

    def clear(self) -> None:
        self.editing_item_id = None
        self.apply_draft(Draft(channels=tuple(self.selected_channels())))
        self.picker.reset_to_next_slot()
        self._show_result("")
        self._discarded = None
        self.undo_button.hide()
        self.repeat.reset()
        self.confirm_here_button.hide()
        self._show_banner(None)
        self.drafts.clear()
        self._save_timer.stop()

    def discard_draft(self) -> bool:
        """新規: ask before throwing typed work away, and offer to bring it back."""
        if self.is_pristine():
            self.clear()
            return True
        if not prompts.confirm(
            self,
            "下書きの消去",
            "入力中の本文・添付・予約日時を消去して、新しい投稿を始めますか？"
            "（消去した直後なら「消去を元に戻す」で戻せます）",
        ):
            return False
        discarded = self.current_draft()
        self.clear()
        self._discarded = discarded
        self.undo_button.show()
        self._show_result("下書きを消去しました。")
        return True

    def undo_discard(self) -> None:
        if self._discarded is None:
            return
        draft, self._discarded = self._discarded, None
        self.undo_button.hide()
        self.apply_draft(draft)
        self._show_result("消去した下書きを元に戻しました。")

    def open_confirm_here(self) -> OnTheSpotDialog | None:
        """The chief confirms the emergency request just submitted, on this PC."""
        if self.awaiting_item_id is None:
            return None
        dialog = OnTheSpotDialog(self.ctx, self.runner, self.awaiting_item_id, self)
        dialog.succeeded.connect(self._on_confirmed_here)
        dialog.cancelled.connect(self._show_result)
        self.confirm_dialog = dialog
        dialog.open()
        return dialog

    def _on_confirmed_here(self, label: str, decided: object) -> None:
        self.confirm_here_button.hide()
        self._show_result(f"課長が緊急投稿（項目 #{self.awaiting_item_id}）を{label}しました。")
        self.awaiting_item_id = None
        self.overrideDecided.emit(decided)

    def refresh_default_time(self) -> None:
        self.picker.refresh_default()
