"""Desktop notifications: a tray balloon where the desktop has a system tray, else a message
in the window's status bar. Views take a `Notifier`, so tests can pass a recorder."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QApplication, QStatusBar, QStyle, QSystemTrayIcon

STATUS_MESSAGE_MS = 60_000
TRAY_MESSAGE_MS = 15_000


class Notifier(Protocol):
    def notify(self, title: str, message: str) -> None: ...


class DesktopNotifier:
    def __init__(self, status_bar: QStatusBar) -> None:
        self._status = status_bar
        self._tray: QSystemTrayIcon | None = None

    def notify(self, title: str, message: str) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            self._tray_icon().showMessage(
                title, message, QSystemTrayIcon.MessageIcon.Information, TRAY_MESSAGE_MS
            )
        else:
            self._status.showMessage(f"🔔 {title}：{message}", STATUS_MESSAGE_MS)

    def _tray_icon(self) -> QSystemTrayIcon:
        if self._tray is None:
            icon = QApplication.windowIcon()
            if icon.isNull():
                icon = self._status.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxInformation
                )
            self._tray = QSystemTrayIcon(icon, self._status)
            self._tray.setToolTip("小平市 SNS投稿予約")
            self._tray.show()
        return self._tray


class RecordingNotifier:
    """Keeps what it was asked to show (for tests and the screenshot script)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def notify(self, title: str, message: str) -> None:
        self.messages.append((title, message))
