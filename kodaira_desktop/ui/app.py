"""Starting the Qt application on an AppContext built by the command line."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QThreadPool, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.crash_dialog import install_exception_hook
from kodaira_desktop.ui.icon import app_icon, set_windows_app_id
from kodaira_desktop.ui.main_window import MainWindow

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
    previous_hook = install_exception_hook()
    window = MainWindow(ctx, deferred=True)
    if smoke_paint:
        window.firstPainted.connect(lambda: app.exit(0))
    elif smoke:

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
    window.show()
    code = app.exec()
    QThreadPool.globalInstance().clear()  # exiting: loads not yet started are pointless
    window.shut_down()  # app.exit() closes no window: stop the dispatcher here too
    if translator is not None:
        app.removeTranslator(translator)
    sys.excepthook = previous_hook
    return code


def _install_qt_japanese(app: QApplication) -> QTranslator | None:
    """Qt's own strings (standard buttons, context menus) in Japanese."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    japanese = QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)
    if not translator.load(japanese, "qtbase", "_", folder):
        return None
    app.installTranslator(translator)
    return translator
