"""The 設定 menu with its start-at-login checkbox, rendered over the main window, to
docs/screenshots/settings-autostart.png (offscreen; a menu is its own window, so it is painted
onto the window's picture where it opens). The tray icon and its balloons belong to the
desktop's notification area and cannot be rendered offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_settings.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QMenu

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import OUT, seeded_office

from kodaira_desktop.ui.main_window import TAB_CALENDAR, MainWindow
from kodaira_desktop.ui.settings_menu import MENU_TITLE


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kodaira-xdg-") as xdg:
        os.environ["XDG_CONFIG_HOME"] = xdg  # the autostart file of this run only
        with seeded_office() as (app, _chief, ctx, _folder):
            window = MainWindow(ctx)
            window.resize(1400, 900)
            window.show()
            window.runner.wait()
            app.processEvents()
            window.tabs.setCurrentIndex(TAB_CALENDAR)
            bar = window.menuBar()
            action = next(a for a in bar.actions() if a.text() == MENU_TITLE)
            menu = action.menu()
            assert isinstance(menu, QMenu)
            menu.actions()[0].setChecked(True)  # writes the autostart file in the temp folder
            window.runner.wait()
            app.processEvents()
            bar.setActiveAction(action)
            app.processEvents()
            where = bar.mapTo(window, bar.actionGeometry(action).bottomLeft())
            menu.popup(window.mapToGlobal(where))
            app.processEvents()
            picture = window.grab()
            painter = QPainter(picture)
            painter.drawPixmap(QPoint(where.x(), where.y()), menu.grab())
            painter.end()
            path = OUT / "settings-autostart.png"
            picture.save(str(path))
            print(f"wrote {path}")
            menu.close()
            window.shut_down()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
