"""Starting the Qt application."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.main_window import MainWindow


def run_gui(policy: PostingPolicy, *, smoke: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("kodaira-desktop")
    app.setApplicationDisplayName("小平市 SNS投稿予約")
    window = MainWindow(policy)
    window.show()
    if smoke:
        QTimer.singleShot(0, app.quit)
    return app.exec()
