"""The main window: the composer, the queue as a calendar and as a table, and a status bar."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from kodaira_desktop.domain.records import Item, User
from kodaira_desktop.services import compose
from kodaira_desktop.services.accounts import acting_user
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.composer import Composer
from kodaira_desktop.ui.dispatch_worker import DispatchWorker
from kodaira_desktop.ui.item_dialog import ItemDialog
from kodaira_desktop.ui.oversight_tabs import install_oversight
from kodaira_desktop.ui.queue_calendar import QueueCalendarPanel
from kodaira_desktop.ui.queue_table import QueueTable
from kodaira_desktop.ui.status_bar import QueueStatusBar
from kodaira_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)

WINDOW_TITLE = "小平市 SNS投稿予約 — Kodaira Desktop"
STATUS_REFRESH_MS = 30_000
TAB_COMPOSER, TAB_CALENDAR, TAB_TABLE = 0, 1, 2


class MainWindow(QMainWindow):
    #: The queue views were refreshed (after start-up, a submission, a cancellation …).
    queueRefreshed = Signal()  # noqa: N815 — Qt signal naming

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(WINDOW_TITLE)
        self.runner = TaskRunner(self)
        self.item_dialog: ItemDialog | None = None
        self.user = self._find_user()

        self.tabs = QTabWidget()
        self.composer: Composer | None = None
        if self.user is not None:
            self.composer = Composer(ctx, self.user, self.runner)
            self.composer.submitted.connect(self.refresh_queue)
            self.tabs.addTab(self.composer, "投稿を作成")
        else:
            notice = QLabel(
                f"「{ctx.login}」は利用者として登録されていません。"
                "投稿を作成するには、秘書広報課長に登録と担当媒体の指定を依頼してください。"
            )
            notice.setWordWrap(True)
            self.tabs.addTab(notice, "投稿を作成")
        self.calendar_panel = QueueCalendarPanel(ctx, self.runner)
        self.calendar_panel.itemOpened.connect(self.open_item)
        self.calendar_panel.itemRescheduled.connect(self.refresh_queue)
        self.tabs.addTab(self.calendar_panel, "予約カレンダー")
        self.table = QueueTable(ctx, self.runner)
        self.table.itemOpened.connect(self.open_item)
        self.table.csv_actions.imported.connect(self.refresh_queue)
        self.tabs.addTab(self.table, "予約一覧")
        self.setCentralWidget(self.tabs)

        self.status = QueueStatusBar(ctx, self.user, self.runner)
        self.setStatusBar(self.status)
        self.dispatch = DispatchWorker(ctx, self)
        self.dispatch.entriesChanged.connect(self.refresh_queue)
        self.status.follow_dispatch(self.dispatch)
        self.oversight = install_oversight(
            ctx, self.user, self.runner, self.tabs, self.status, self.refresh_queue
        )
        self.table.unknownOpened.connect(
            lambda entry: self.oversight.open_unknown(entry, self, self.refresh_queue)
        )
        if self.composer is not None:
            self.composer.overrideDecided.connect(self.refresh_queue)
        self._add_actions()
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.resize(1360, 880)
        self.refresh_queue()

    def _find_user(self) -> User | None:
        try:
            return acting_user(self.ctx)
        except ServiceError as error:
            log.warning("%s", error)
            return None

    def _add_actions(self) -> None:
        refresh = QAction("最新の状態に更新", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_queue)
        self.addAction(refresh)
        menu = self.menuBar().addMenu("表示")
        menu.addAction(refresh)

    # -- queue -----------------------------------------------------------------------------

    def refresh_queue(self) -> None:
        self.calendar_panel.reload()
        self.table.reload()
        self.status.refresh()
        self.oversight.refresh()
        self.queueRefreshed.emit()

    def shows_current_month(self) -> bool:
        today: date = self.ctx.policy.localize(self.ctx.clock.now()).date()
        calendar = self.calendar_panel.calendar
        return (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)

    def _tick(self) -> None:
        self.status.refresh()
        if self.composer is not None:
            self.composer.refresh_default_time()

    # -- items -----------------------------------------------------------------------------

    def open_item(self, item_id: int) -> ItemDialog | None:
        try:
            item = compose.get_item(self.ctx, item_id)
        except ServiceError as error:
            prompts.show_error(self, "項目を開けません", str(error))
            return None
        dialog = ItemDialog(self.ctx, item, self)
        dialog.editRequested.connect(self.edit_item)
        dialog.itemCancelled.connect(self.refresh_queue)
        dialog.itemChanged.connect(self.refresh_queue)
        self.item_dialog = dialog
        dialog.open()
        return dialog

    def edit_item(self, item: Item) -> None:
        if self.composer is None:
            return
        self.composer.load_item(item)
        self.tabs.setCurrentIndex(TAB_COMPOSER)

    # -- closing ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.dispatch.start()  # the GUI's dispatcher runs while the window is open

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.dispatch.stop()
        if self.composer is not None:
            self.composer.flush_draft()
        self._timer.stop()
        self.oversight.stop()
        self.runner.wait()
        super().closeEvent(event)
