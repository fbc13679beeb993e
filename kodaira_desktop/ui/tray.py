"""The notification-area (system tray) icon: when this PC dispatches, closing the window keeps
the app running there, still sending; desktop notifications for what the dispatcher did.

`TrayController.install(window)` is called by the real entry point only (``ui/app.py``), once
the window is built. Where the desktop has no system tray (``available`` False: offscreen
tests, some Linux desktops) nothing changes: closing the window quits, as before. Tests pass
``available=True`` and an icon of their own to see the balloons.

Notifications come from signals, never a polling loop of this module: the dispatcher's
``entriesChanged`` (published, failed, unknown, held) and the approvals inbox (new emergency
requests awaiting the chief, seen when the queue is refreshed). Messages arriving within
``COALESCE_MS`` of each other are shown as one balloon.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QStyle, QSystemTrayIcon

if TYPE_CHECKING:
    from kodaira_desktop.services.dispatcher import DispatchReport
    from kodaira_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

APP_NAME = "小平市 SNS投稿予約"
#: Messages arriving this close together become one balloon.
COALESCE_MS = 1_500
BALLOON_MS = 15_000
SHOWN_KEPT = 50
STILL_RUNNING = (
    "ウィンドウを閉じましたが、予約した投稿の送信を続けています。"
    "開くにはこのアイコンをクリック、終了するには右クリックして「終了」を選んでください。"
)
#: One line per outcome of a dispatcher pass: (title, message with {n}, warning?).
_OUTCOMES: tuple[tuple[str, str, str, bool], ...] = (
    ("published", "投稿しました", "{n} 件の投稿を送信しました。", False),
    (
        "failed",
        "投稿に失敗しました",
        "{n} 件の投稿が失敗しました。予約一覧で確認してください。",
        True,
    ),
    (
        "unknown",
        "投稿の結果が不明です",
        "{n} 件は投稿されたか確認できません。予約一覧で確認し、結果を記録してください。",
        True,
    ),
    (
        "held",
        "投稿を保留にしました",
        "{n} 件を保留にしました。予約一覧で理由を確認してください。",
        True,
    ),
)


@dataclass(frozen=True)
class Notice:
    title: str
    message: str
    warning: bool = False


def has_system_tray() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def report_notices(report: DispatchReport) -> list[Notice]:
    """What a dispatcher pass is worth telling: published, failed, unknown and held entries
    (retries and rate-limit pacing are routine and stay quiet)."""
    notices = []
    for field, title, message, warning in _OUTCOMES:
        count = len(getattr(report, field))
        if count:
            notices.append(Notice(title, message.format(n=count), warning))
    return notices


def coalesce(notices: list[Notice]) -> Notice:
    """Many notices at once become one: the titles joined, each message on its own line."""
    if len(notices) == 1:
        return notices[0]
    titles = list(dict.fromkeys(n.title for n in notices))
    title = titles[0] if len(titles) == 1 else f"{APP_NAME}：{len(notices)} 件のお知らせ"
    return Notice(title, "\n".join(n.message for n in notices), any(n.warning for n in notices))


class TrayController(QObject):
    """The tray icon of one main window; also the window's `Notifier` while it is installed."""

    def __init__(
        self,
        window: MainWindow,
        *,
        available: bool | None = None,
        icon: QSystemTrayIcon | None = None,
        confirm_quit: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.available = has_system_tray() if available is None else available
        self.icon = icon
        self._confirm_quit = confirm_quit or self._ask_quit
        self.told_still_running = False
        self.quitting = False
        self._pending: list[Notice] = []
        self._uploading: set[int] = set()
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(COALESCE_MS)
        self._flush_timer.timeout.connect(self.flush)
        #: The latest balloons shown (also without an icon), bounded for a months-long run.
        self.shown: deque[Notice] = deque(maxlen=SHOWN_KEPT)

    # -- installing ------------------------------------------------------------------------

    @property
    def keeps_running(self) -> bool:
        """Closing the window hides it instead: a tray exists and this PC dispatches."""
        window = self.window
        return self.available and window.is_built and window.dispatch.enabled

    def install(self) -> bool:
        """Show the icon and follow the window's dispatcher; False (nothing done) without a
        system tray."""
        if not self.available:
            return False
        window = self.window
        if self.icon is None:
            self.icon = QSystemTrayIcon(_window_icon(), self)
        self.icon.setToolTip(APP_NAME)
        self.icon.setContextMenu(self._menu())
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.open_window)
        self.icon.show()
        window.installEventFilter(self)
        worker = window.dispatch
        worker.entriesChanged.connect(self.on_report)
        worker.uploadProgress.connect(self._on_progress)
        worker.passFinished.connect(lambda _report: self._uploading.clear())
        inbox = window.oversight.inbox
        if inbox is not None:  # new emergency requests: a balloon, coalesced with the rest
            inbox.notifier = self
        log.info("tray icon shown (dispatching here: %s)", worker.enabled)
        return True

    def _menu(self) -> QMenu:
        menu = QMenu(self.window)
        self.open_action = QAction("開く", menu)
        self.open_action.triggered.connect(self.open_window)
        self.refresh_action = QAction("最新の状態に更新", menu)
        self.refresh_action.triggered.connect(self.window.refresh_queue)
        self.quit_action = QAction("終了", menu)
        self.quit_action.triggered.connect(self.quit)
        menu.addAction(self.open_action)
        menu.addAction(self.refresh_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        return menu

    # -- the window ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.Close:
            hide = not self.quitting and self.keeps_running
            _quit_on_last_window_closed(not hide)  # hidden in the tray is not "closed"
            if not hide:
                return super().eventFilter(watched, event)
            assert isinstance(event, QCloseEvent)
            event.ignore()  # not closed: hidden, still dispatching
            self.window.hide()
            if self.window.composer is not None:
                self.window.composer.flush_draft()
            if not self.told_still_running:
                self.told_still_running = True
                self._show(Notice(APP_NAME, STILL_RUNNING))
            return True
        return super().eventFilter(watched, event)

    def open_window(self) -> None:
        window = self.window
        window.show()
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_window()

    @property
    def sending(self) -> int:
        """Entries being uploaded right now (reported by the dispatcher since its last pass)."""
        return len(self._uploading)

    def _on_progress(self, entry_id: int, done: int, total: int) -> None:
        if total > 0 and done >= total:
            self._uploading.discard(entry_id)
        else:
            self._uploading.add(entry_id)

    def quit(self) -> bool:
        """終了: asks first while entries are being sent; then closes the window (its
        dispatcher stops, the draft is kept) and ends the application."""
        if self.sending and not self._confirm_quit(
            f"{self.sending} 件の投稿を送信中です。終了すると送信を中断し、"
            "次に起動したときに続きから送ります。終了しますか？"
        ):
            return False
        self.quitting = True
        if self.icon is not None:
            self.icon.hide()
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()
        return True

    def _ask_quit(self, question: str) -> bool:
        self.open_window()
        answer = QMessageBox.question(
            self.window,
            "終了の確認",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- notifications ---------------------------------------------------------------------

    def on_report(self, report: DispatchReport) -> None:
        for notice in report_notices(report):
            self._queue(notice)

    def notify(self, title: str, message: str) -> None:
        """The `Notifier` of the approvals inbox (new emergency requests)."""
        self._queue(Notice(title, message))

    def _queue(self, notice: Notice) -> None:
        self._pending.append(notice)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def flush(self) -> None:
        """Show what has gathered as one balloon."""
        self._flush_timer.stop()
        if self._pending:
            notices, self._pending = self._pending, []
            self._show(coalesce(notices))

    def _show(self, notice: Notice) -> None:
        self.shown.append(notice)
        if self.icon is None:
            return
        kind = (
            QSystemTrayIcon.MessageIcon.Warning
            if notice.warning
            else QSystemTrayIcon.MessageIcon.Information
        )
        self.icon.showMessage(notice.title, notice.message, kind, BALLOON_MS)


def _quit_on_last_window_closed(on: bool) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setQuitOnLastWindowClosed(on)


def _window_icon() -> QIcon:
    icon = QApplication.windowIcon()
    if icon.isNull():
        style = QApplication.style()
        icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
    return icon


def install_tray(window: MainWindow) -> TrayController | None:
    """The entry point's step: a tray icon for ``window`` where the desktop has a tray."""
    tray = TrayController(window)
    return tray if tray.install() else None
