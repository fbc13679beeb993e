"""結果不明 (unknown): the post was sent but whether it arrived could not be confirmed, so it is
never re-sent automatically. A person looks at the account and says which it was."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Entry
from kodaira_desktop.services import outcomes
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, channel_label
from kodaira_desktop.ui.workers import TaskRunner

Outcome = Literal["published", "resend"]
EXPLANATION = (
    "この投稿は送信しましたが、相手のサービスから結果を受け取れませんでした。"
    "二重投稿を避けるため、自動では再送信しません。アカウントを開いて、投稿されているか"
    "確認してください。"
)


class UnknownOutcomeDialog(QDialog):
    resolved = Signal(object)  # the updated Entry
    failed = Signal(str)

    def __init__(
        self, ctx: AppContext, runner: TaskRunner, entry: Entry, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.entry = entry
        self.setWindowTitle(f"結果不明の投稿（{channel_label(entry.channel_key)}）")
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        when = ctx.policy.localize(entry.scheduled_at)
        text = QPlainTextEdit(entry.text)
        text.setReadOnly(True)
        text.setFixedHeight(90)
        facts = QFormLayout()
        facts.addRow("媒体", QLabel(channel_label(entry.channel_key)))
        facts.addRow("予約日時", QLabel(f"{format_instant(when)}（#{entry.item_id}）"))
        if entry.last_error:
            error = QLabel(entry.last_error)
            error.setWordWrap(True)
            facts.addRow("記録", error)
        facts.addRow("本文", text)

        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…（分かれば。空欄でも可）")
        self.published_button = QPushButton("投稿済みにする")
        self.published_button.clicked.connect(lambda: self.resolve("published"))
        published = QGroupBox("投稿されていた場合")
        published_form = QFormLayout(published)
        published_form.addRow("投稿のURL", self.url)
        published_form.addRow(self.published_button)

        self.checked = QCheckBox("アカウントを確認し、この投稿が出ていないことを確かめました")
        self.resend_button = QPushButton("再送信")
        self.resend_button.clicked.connect(lambda: self.resolve("resend"))
        self.checked.toggled.connect(self._update_buttons)
        resend = QGroupBox("投稿されていなかった場合")
        resend_layout = QVBoxLayout(resend)
        resend_layout.addWidget(self.checked)
        resend_layout.addWidget(self.resend_button)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText("閉じる")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(facts)
        layout.addWidget(published)
        layout.addWidget(resend)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._busy = False
        self._update_buttons()
        self.resize(560, 520)

    def _update_buttons(self) -> None:
        self.published_button.setEnabled(not self._busy)
        self.resend_button.setEnabled(not self._busy and self.checked.isChecked())

    def resolve(self, outcome: Outcome) -> None:
        if self._busy or (outcome == "resend" and not self.checked.isChecked()):
            return
        ctx, entry_id = self.ctx, self.entry.id
        url = self.url.text().strip() or None if outcome == "published" else None
        self._busy = True
        self._update_buttons()
        self.message.clear()
        self.runner.start(
            lambda: outcomes.resolve_unknown(ctx, entry_id, outcome, url),
            self._resolved,
            self._failed,
        )

    def _resolved(self, entry: Entry) -> None:
        self._busy = False
        self.resolved.emit(entry)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy = False
        self._update_buttons()
        self.message.setText(message)
        self.failed.emit(message)
