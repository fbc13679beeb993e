"""The main window: the composer, the queue as a calendar and as a table, and a status bar.

Start-up paints first, then loads: ``MainWindow(ctx, deferred=True)`` shows an empty frame (title,
tab names, 「読み込み中…」) importing nothing but Qt; after its first paint the database is opened
on a worker (SQLAlchemy imported there) and the tabs are built on the GUI thread. Without
``deferred`` (tests, dialogs) everything is built at once.
"""

from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui.help_menu import install_help_menu
from kodaira_desktop.ui.settings_menu import install_settings_menu
from kodaira_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from kodaira_desktop.domain.records import Entry, Item, User
    from kodaira_desktop.services.first_screen import FirstScreenView
    from kodaira_desktop.ui.composer import Composer
    from kodaira_desktop.ui.dispatch_worker import DispatchWorker
    from kodaira_desktop.ui.item_dialog import ItemDialog
    from kodaira_desktop.ui.oversight_tabs import OversightTabs
    from kodaira_desktop.ui.queue_calendar import QueueCalendarPanel
    from kodaira_desktop.ui.queue_table import QueueTable
    from kodaira_desktop.ui.status_bar import QueueStatusBar

log = logging.getLogger(__name__)

#: The application's display name: Qt adds nothing when the title is the name itself.
WINDOW_TITLE = "小平市 SNS投稿予約"
STATUS_REFRESH_MS = 30_000
TAB_COMPOSER, TAB_CALENDAR, TAB_TABLE = 0, 1, 2
TAB_TITLES = ("投稿を作成", "予約カレンダー", "予約一覧")
#: Imported on a start-up worker after the first screen, so building the rest does not
#: stall the GUI thread (the table's module too: its tab is built when first shown).
_OTHER_MODULES = (
    "kodaira_desktop.ui.dispatch_worker",
    "kodaira_desktop.ui.item_dialog",
    "kodaira_desktop.ui.oversight_tabs",
    "kodaira_desktop.ui.queue_table",
    "kodaira_desktop.ui.status_bar",
)


def _waiting() -> QLabel:
    waiting = QLabel("読み込み中…")
    waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return waiting


def _import_the_rest() -> None:
    for module in _OTHER_MODULES:
        importlib.import_module(module)


class MainWindow(QMainWindow):
    #: The queue views were refreshed (after start-up, a submission, a cancellation …).
    queueRefreshed = Signal()  # noqa: N815 — Qt signal naming

    #: The window was painted for the first time.
    firstPainted = Signal()  # noqa: N815
    #: Deferred start-up showed its first screen (True) or could not open the database (False).
    built = Signal(bool)
    #: A chief registered this unregistered login on the spot: reopen the window as it.
    userRegistered = Signal()  # noqa: N815

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, deferred: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(WINDOW_TITLE)
        self.runner = TaskRunner(self)
        self.item_dialog: ItemDialog | None = None
        self.composer: Composer | None = None
        self.is_built = False
        #: False when the start-up flow handles a database that cannot be opened (the wizard).
        self.report_load_errors = True
        self._painted = False
        #: shut_down ran: deferred start-up steps still on their way build nothing more.
        self._shut = False
        self.user: User | None = None
        #: The 予約一覧 tab's stand-in until it is first shown (deferred start-up).
        self._table_placeholder: QLabel | None = None
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        self.resize(1360, 880)
        if deferred:
            for title in TAB_TITLES:
                self.tabs.addTab(_waiting(), title)
            self.firstPainted.connect(self._load_after_paint, Qt.ConnectionType.QueuedConnection)
        else:
            self._build(self._find_user())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._painted:  # until the first paint of the frame
            for widget in self._first_painted_widgets():
                widget.installEventFilter(self)
        if self.is_built:
            self.dispatch.start()  # the GUI's dispatcher runs while the window is open

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            for widget in self._first_painted_widgets():
                widget.removeEventFilter(self)
            QTimer.singleShot(0, self.firstPainted.emit)  # once this paint is done
        return super().eventFilter(watched, event)

    def _first_painted_widgets(self) -> tuple[QWidget, ...]:
        """What the first frame paints. Watched one by one, never through an application-wide
        filter: that would run Python for every event of the application, including those sent
        while Qt deletes an older window's widgets (the wizard's, or a replaced window's), and
        PySide's deferred deletions run on that re-entry could deadlock inside the destructor."""
        return (self, self.tabs, self.tabs.tabBar())

    def _load_after_paint(self) -> None:
        """On a worker: the calendar's module, the holiday tables its grid paints, the acting
        user and the current month — for a SQLite file through the standard `sqlite3` module,
        so the month is drawn before SQLAlchemy is imported (services/first_screen.py). Then
        the composer (`_load_composer`) and the rest (`_the_rest`) follow the same way."""
        ctx = self.ctx
        today = self._today()

        def prepare() -> FirstScreenView:
            importlib.import_module("kodaira_desktop.ui.queue_calendar")
            from kodaira_desktop.services import first_screen

            # The holiday tables of every month the calendar reads around this one (it
            # prefetches the neighbours, each read with its own neighbours): built here, before
            # the month is shown, when this PC's cache lacks a year — not later, on a worker
            # importing the `holidays` package while the window is in use.
            for step in (-2, -1, 0, 1, 2):
                index = today.year * 12 + today.month - 1 + step
                ctx.policy.holiday_name(date(index // 12, index % 12 + 1, 1))
            return first_screen.read(ctx, today.year, today.month)

        self.runner.start(prepare, self._first_screen, self._load_failed)

    def _first_screen(self, view: FirstScreenView) -> None:
        if self._shut:
            return
        today = self._today()
        self.tabs.clear()
        self.user = view.user
        waiting = _waiting()
        self.tabs.addTab(waiting, TAB_TITLES[TAB_COMPOSER])
        self._build_calendar((today.year, today.month, view.entries))
        self.tabs.addTab(_waiting(), TAB_TITLES[TAB_TABLE])
        self.built.emit(True)
        # Next turn of the event loop, so the calendar is painted before more is loaded.
        QTimer.singleShot(0, self, lambda: self._load_composer(waiting))

    def _load_composer(self, placeholder: QLabel) -> None:
        """On a worker: the composer's modules and the Store (SQLAlchemy); then the composer
        takes its tab's place."""
        if self._shut:
            return  # closed (or a smoke run ended) before the rest was loaded
        ctx, user = self.ctx, self.user

        def prepare() -> None:
            if user is not None:
                importlib.import_module("kodaira_desktop.ui.composer")
            ctx.store  # noqa: B018 — opens the database (schema checked or upgraded)

        def ready(_none: None) -> None:
            if self._shut:
                return
            on_it = self.tabs.currentWidget() is placeholder
            self.tabs.removeTab(self.tabs.indexOf(placeholder))
            placeholder.deleteLater()
            self.tabs.insertTab(TAB_COMPOSER, self._build_composer(), TAB_TITLES[TAB_COMPOSER])
            if on_it:
                self.tabs.setCurrentIndex(TAB_COMPOSER)
            self.runner.start(_import_the_rest, lambda _none: self._the_rest(), self._load_failed)

        self.runner.start(prepare, ready, self._load_failed)

    def _the_rest(self) -> None:
        """The status bar, the dispatcher and the oversight tabs; the table's tab is built
        when first shown (`ensure_table`)."""
        if self._shut:
            return
        placeholder = self.tabs.widget(TAB_TABLE)
        self._table_placeholder = placeholder if isinstance(placeholder, QLabel) else None
        self.tabs.currentChanged.connect(self._on_tab_shown)
        self._build_rest(calendar=False, table=False)
        self._on_tab_shown(self.tabs.currentIndex())
        from kodaira_desktop.ui.gc_freeze import freeze_what_start_up_loaded

        freeze_what_start_up_loaded()  # full collections no longer walk the loaded modules

    def _on_tab_shown(self, index: int) -> None:
        if index >= 0 and self.tabs.widget(index) is self._table_placeholder:
            self.ensure_table()

    def ensure_table(self) -> QueueTable:
        """The 予約一覧 tab, built (and read) the first time it is needed."""
        placeholder = self._table_placeholder
        if placeholder is not None:
            self._table_placeholder = None
            on_it = self.tabs.currentWidget() is placeholder
            self.tabs.removeTab(self.tabs.indexOf(placeholder))
            placeholder.deleteLater()
            self._build_table()
            if on_it:
                self.tabs.setCurrentIndex(TAB_TABLE)
            if self.is_built:
                self.table.reload()
        return self.table

    def _load_failed(self, message: str) -> None:
        from kodaira_desktop.ui import prompts

        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if isinstance(widget, QLabel):
                widget.setText(f"データベースを開けませんでした：{message}")
        self.load_error = message
        self.built.emit(False)
        if self.report_load_errors:
            prompts.show_error(self, "データベースを開けません", message)

    def _build(self, user: User | None) -> None:
        """Everything at once (tests, and windows opened without deferring)."""
        self.user = user
        self.tabs.addTab(self._build_composer(), TAB_TITLES[TAB_COMPOSER])
        self._build_calendar()
        self._build_rest(calendar=True, table=True)

    def _build_composer(self) -> QWidget:
        """The composer for the acting user, or why there is none."""
        ctx = self.ctx
        if self.user is None:  # who the chiefs are, a request to copy, a chief may register
            from kodaira_desktop.ui.unregistered_panel import UnregisteredPanel

            self.unregistered = UnregisteredPanel(ctx, self.runner)
            self.unregistered.registered.connect(self.userRegistered)
            return self.unregistered
        from kodaira_desktop.ui.composer import Composer

        self.composer = Composer(ctx, self.user, self.runner)
        self.composer.submitted.connect(self.refresh_queue)
        self.composer.overrideDecided.connect(self.refresh_queue)
        return self.composer

    def _build_calendar(self, first_month: tuple[int, int, list[Entry]] | None = None) -> None:
        """The calendar tab (with ``first_month``, read along with the user, drawn at once)."""
        from kodaira_desktop.ui.queue_calendar import QueueCalendarPanel

        self.calendar_panel: QueueCalendarPanel = QueueCalendarPanel(self.ctx, self.runner)
        self.calendar_panel.itemOpened.connect(self.open_item)
        self.calendar_panel.itemRescheduled.connect(self.refresh_queue)
        self.tabs.insertTab(TAB_CALENDAR, self.calendar_panel, TAB_TITLES[TAB_CALENDAR])
        if first_month is not None:
            self.calendar_panel.prime(*first_month)

    def _build_table(self) -> None:
        from kodaira_desktop.ui.queue_table import QueueTable

        self.table: QueueTable = QueueTable(self.ctx, self.runner)
        self.table.itemOpened.connect(self.open_item)
        self.table.csv_actions.imported.connect(self.refresh_queue)
        self.table.unknownOpened.connect(
            lambda entry: self.oversight.open_unknown(entry, self, self.refresh_queue)
        )
        self.tabs.insertTab(TAB_TABLE, self.table, TAB_TITLES[TAB_TABLE])

    def _build_rest(self, *, calendar: bool, table: bool) -> None:
        """The table (unless it waits to be shown), the status bar, the dispatcher and the
        oversight tabs; then everything is refreshed (the calendar too unless just read)."""
        from kodaira_desktop.ui.dispatch_worker import DispatchWorker
        from kodaira_desktop.ui.oversight_tabs import install_oversight
        from kodaira_desktop.ui.status_bar import QueueStatusBar

        ctx = self.ctx
        if table:
            self._build_table()
        self.status: QueueStatusBar = QueueStatusBar(ctx, self.user, self.runner)
        self.setStatusBar(self.status)
        self.dispatch: DispatchWorker = DispatchWorker(ctx, self)
        self.dispatch.entriesChanged.connect(self.refresh_queue)
        self.status.follow_dispatch(self.dispatch)
        self.oversight: OversightTabs = install_oversight(
            ctx, self.user, self.runner, self.tabs, self.status, self.refresh_queue
        )
        self._add_actions()
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.is_built = True
        if self.isVisible():
            self.dispatch.start()
        self._refresh(calendar=calendar)

    def _find_user(self) -> User | None:
        from kodaira_desktop.services.accounts import acting_user

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
        install_settings_menu(self)
        install_help_menu(self, self.ctx.policy.hours_text())

    # -- queue -----------------------------------------------------------------------------

    def refresh_queue(self) -> None:
        self._refresh(calendar=True)

    def _refresh(self, *, calendar: bool) -> None:
        if calendar:
            self.calendar_panel.reload()
        if not self.is_built:  # the rest of the window is still on its way
            return
        if self._table_placeholder is None:  # else it is read when first shown
            self.table.reload()
        self.status.refresh()
        self.oversight.refresh()
        self.queueRefreshed.emit()

    def shows_current_month_with_entries(self) -> bool:
        today = self._today()
        shown = self.calendar_panel.month_shown_with_entries
        return self.shows_current_month() and shown == (today.year, today.month)

    def _today(self) -> date:
        return self.ctx.policy.localize(self.ctx.clock.now()).date()

    def shows_current_month(self) -> bool:
        today = self._today()
        calendar = self.calendar_panel.calendar
        return (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)

    def _tick(self) -> None:
        self.status.refresh()
        if self.composer is not None:
            self.composer.refresh_default_time()

    # -- items -----------------------------------------------------------------------------

    def open_item(self, item_id: int) -> ItemDialog | None:
        from kodaira_desktop.services import compose
        from kodaira_desktop.ui import prompts
        from kodaira_desktop.ui.item_dialog import ItemDialog

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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Stop the dispatcher and timers, keep the draft, let workers finish."""
        self._shut = True
        if self.is_built:
            self.dispatch.stop()
            self._timer.stop()
            self.oversight.stop()
        if self.composer is not None:
            self.composer.shut_down()
        self.runner.wait()
