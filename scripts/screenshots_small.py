"""The window at 1024x768 (the smallest office screen): the composer with each channel's
tab, the calendar and the table, to docs/screenshots/1024x768/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_small.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication

from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import TAB_CALENDAR, TAB_COMPOSER, TAB_TABLE, MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import seeded_office

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "1024x768"
SIZE = (1024, 768)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with seeded_office() as (app, _chief, ctx, folder):
        render(app, ctx, folder)
    return 0


def render(app: QApplication, ctx: AppContext, folder: Path) -> None:
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.show()
    window.runner.wait()
    app.processEvents()
    composer = window.composer
    assert composer is not None

    def shot(name: str) -> None:
        window.runner.wait()
        app.processEvents()
        window.grab().save(str(OUT / name))
        print(f"wrote {OUT / name}")

    window.tabs.setCurrentIndex(TAB_COMPOSER)
    composer.text_edit.setPlainText(
        "【小平市民まつり】11月28日（土）・29日（日）に小平市民まつりを開催します。"
        "会場は小平市民総合体育館周辺です。ぜひお越しください。"
    )
    for box in composer.channel_boxes.values():
        box.setChecked(True)
    composer.attachments.add_paths([folder / "kodaira-festival.png"])
    composer.run_check()
    for key, tab in composer.channel_tabs.items():
        composer.tabs.setCurrentWidget(tab)
        shot(f"composer-{key}.png")
    window.tabs.setCurrentIndex(TAB_CALENDAR)
    window.calendar_panel.calendar.setSelectedDate(QDate(2026, 11, 27))
    shot("calendar.png")
    window.tabs.setCurrentIndex(TAB_TABLE)
    shot("table.png")
    # The largest office screen: calendar cells show the first words of each post.
    window.resize(1920, 1080)
    window.tabs.setCurrentIndex(TAB_CALENDAR)
    window.runner.wait()
    app.processEvents()
    window.grab().save(str(OUT.parent / "calendar-1920x1080.png"))
    window.close()


if __name__ == "__main__":
    raise SystemExit(main())
