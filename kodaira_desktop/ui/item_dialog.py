"""One queued item: its entries and states, with 編集 and 取り消し while nothing is sending."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.records import Item
from kodaira_desktop.domain.states import EDITABLE_STATES, EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.channel_style import ERROR_COLOUR
from kodaira_desktop.ui.queue_model import COLUMN_TEXT, EntryTableModel

#: States in which nothing has been sent yet, so the whole item may still change.
_NOT_SENDING = EDITABLE_STATES | {EntryState.CANCELLED}


def may_change(item: Item) -> bool:
    """True while some entry is still editable and none is sending or sent."""
    states = {e.state for e in item.entries}
    return bool(states & EDITABLE_STATES) and states <= _NOT_SENDING


class ItemDialog(QDialog):
    editRequested = Signal(object)  # noqa: N815 — the Item
    itemCancelled = Signal(int)  # noqa: N815

    def __init__(self, ctx: AppContext, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.setWindowTitle(f"項目 #{item.id}")
        summary = QLabel(
            f"項目 #{item.id}　分類：{item.category or '―'}　作成者：{item.author}　"
            f"作成：{ctx.policy.localize(item.created_at):%Y-%m-%d %H:%M}"
        )
        text = QPlainTextEdit(item.text)
        text.setReadOnly(True)
        text.setFixedHeight(110)
        self.model = EntryTableModel(ctx.policy, self)
        self.model.set_entries(list(item.entries))
        table = QTableView()
        table.setModel(self.model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(COLUMN_TEXT, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnsToContents()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        changeable = may_change(item)
        if not changeable:
            self.message.setText("送信中・送信済みの媒体があるため、この項目は変更できません。")
        self.edit_button = QPushButton("編集…")
        self.cancel_button = QPushButton("予約を取り消す")
        self.edit_button.setEnabled(changeable)
        self.cancel_button.setEnabled(changeable)
        self.edit_button.clicked.connect(self._edit)
        self.cancel_button.clicked.connect(self._cancel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText("閉じる")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(text)
        layout.addWidget(table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def _edit(self) -> None:
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
