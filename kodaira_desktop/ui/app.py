"""Starting the Qt application on an AppContext built by the command line."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QThreadPool, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.crash_dialog import install_exception_hook
from kodaira_desktop.ui.icon import app_icon, set_windows_app_id
from kodaira_desktop.ui.setup_flow import StartUp

if TYPE_CHECKING:
    from kodaira_desktop.ui.main_window import MainWindow
    from kodaira_desktop.ui.single_instance import SingleInstance

#: A smoke run that has not shown the month by then has failed.
SMOKE_TIMEOUT_MS = 60_000
#: The exit code when the database cannot be opened (e.g. its schema is newer than the app).
EXIT_INVALID = 2


def run_gui(ctx: AppContext, *, smoke: bool = False, smoke_paint: bool = False) -> int:
    """Show the main window: its frame is painted first, then the database is opened and the
    tabs built. With ``smoke`` exit 0 as soon as it shows the current month with its entries;
    with ``smoke_paint`` right after the first paint (1 if that does not happen in time)."""
    set_windows_app_id()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("kodaira-desktop")
    app.setApplicationDisplayName("小平市 SNS投稿予約")
    app.setWindowIcon(app_icon())  # every window and the taskbar entry
    translator = _install_qt_japanese(app)
    instance = None
    if not (smoke or smoke_paint):  # one window per user: a second start raises the first
        from kodaira_desktop.ui.single_instance import SingleInstance, server_name

        instance = SingleInstance(server_name(ctx.login, ctx.paths.data_dir), app)
        if not instance.acquire():
            return 0
    previous_hook = install_exception_hook()
    # The first-run wizard when this PC is not set up (never in smoke runs); else the window.
    flow = StartUp(ctx, wizard=not (smoke or smoke_paint))
    if instance is not None:
        _follow_instance(flow, instance)
    flow.start()
    window = flow.window  # always a window in smoke runs
    if smoke_paint and window is not None:
        window.firstPainted.connect(lambda: app.exit(0))
    elif smoke and window is not None:

        def built(ok: bool) -> None:
            if not ok:
                app.exit(EXIT_INVALID)
                return
            window.calendar_panel.monthLoaded.connect(month_loaded)
            if window.shows_current_month_with_entries():  # read along with the user
                app.exit(0)

        def month_loaded(_year: int, _month: int, _count: int) -> None:
            if window.shows_current_month_with_entries():
                app.exit(0)

        window.built.connect(built)
    if smoke or smoke_paint:
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(1))
    code = app.exec()
    QThreadPool.globalInstance().clear()  # exiting: loads not yet started are pointless
    flow.shut_down()  # app.exit() closes no window: stop the dispatcher here too
    if translator is not None:
        app.removeTranslator(translator)
    sys.excepthook = previous_hook
    return code


def _follow_instance(flow: StartUp, instance: SingleInstance) -> None:
    """The real entry point's extras: a later start raises what is shown (the wizard or the
    window); once a window is built, the tray icon (where the desktop has one) keeps it
    dispatching when closed."""
    from kodaira_desktop.ui.tray import install_tray

    def raise_shown() -> None:
        shown: QWidget | None = flow.window
        if flow.wizard is not None and flow.wizard.isVisible():
            shown = flow.wizard
        if shown is None:
            return
        shown.show()
        if shown.isMinimized():
            shown.showNormal()
        shown.raise_()
        shown.activateWindow()

    def follow(window: MainWindow) -> None:
        trays: list[object] = []

        def built() -> None:
            if not trays:
                trays.append(install_tray(window))

        window.queueRefreshed.connect(built)

    instance.raiseRequested.connect(raise_shown)
    flow.windowOpened.connect(follow)


def _install_qt_japanese(app: QApplication) -> QTranslator | None:
    """Qt's own strings (standard buttons, context menus) in Japanese."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    japanese = QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)
    if not translator.load(japanese, "qtbase", "_", folder):
        return None
    app.installTranslator(translator)
    return translator
