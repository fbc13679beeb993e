"""緊急投稿: a reason and a time (default now); the entries then wait for the chief."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.policy import PostingPolicy


class EmergencyDialog(QDialog):
    def __init__(self, policy: PostingPolicy, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("緊急投稿")
        self._policy = policy
        local = policy.localize(now)
        explanation = QLabel(
            "投稿時間外（平日 8:30〜17:15 以外）に投稿する必要があるときに使います。"
            "秘書広報課長が内容を確認・承認するまで送信されません（課長の確認待ち）。"
        )
        explanation.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("例：大雨による避難指示の発令を周知するため")
        self.reason.setFixedHeight(90)
        self.when = QDateTimeEdit(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )
        self.when.setDisplayFormat("yyyy年M月d日 HH:mm")
        self.when.setCalendarPopup(True)
        form = QFormLayout()
        form.addRow("理由（必須）", self.reason)
        form.addRow("投稿日時", self.when)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.submit_button = QPushButton("課長に確認を依頼")
        self.buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText("キャンセル")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update_button)
        self._update_button()
        self.resize(480, 280)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def chosen_at(self) -> datetime:
        chosen = self.when.dateTime()
        day, clock = chosen.date(), chosen.time()
        return datetime(
            day.year(), day.month(), day.day(), clock.hour(), clock.minute(),
            tzinfo=self._policy.zone,
        )  # fmt: skip

    def _update_button(self) -> None:
        self.submit_button.setEnabled(bool(self.reason_text()))
