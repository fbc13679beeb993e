"""The main window: the policy calendar first; the composer and queue join it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.policy_calendar import PolicyCalendar

WINDOW_TITLE = "小平市 SNS投稿予約 — Kodaira Desktop"


class MainWindow(QMainWindow):
    def __init__(self, policy: PostingPolicy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.calendar = PolicyCalendar(policy)
        legend = QLabel(
            "灰色の日は投稿できません（土日・祝日・年末年始）。投稿時間は平日 8:30〜17:15。"
        )
        legend.setWordWrap(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.calendar)
        layout.addWidget(legend)
        self.setCentralWidget(body)
        self.resize(900, 640)
