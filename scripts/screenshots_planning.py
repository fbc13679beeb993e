"""Render the planning screens (CSV import preview; 繰り返し, 定型文 and 代替テキスト in the
composer) to docs/screenshots/.

Same fixed clock as scripts/screenshots.py (Wednesday 25 November 2026, 10:00 JST):

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_planning.py
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication

from kodaira_desktop.services import templates
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import TAB_COMPOSER, TAB_TABLE

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import JST, _sample_image, office, shooter, shown_window

PLAN = (
    "日時,媒体,本文,分類\r\n"
    "2026/12/01 9:00,x-city;line,12月1日（火）は休日診療のご案内を掲載しました。,健康・福祉\r\n"
    "2026/12/05 10:00,line,市報こだいら12月1日号を発行しました。,広報\r\n"
    "2026/12/07 8:30,x-city、facebook,小平市民文化会館の催し物のご案内です。,イベント\r\n"
    "2026/12/29 10:00,x-city,年末年始の窓口のご案内です。,お知らせ\r\n"
    "2026/12/10 13:00,x-mayor,市長の一日をお伝えします。,市長の活動\r\n"
)


def main() -> int:
    with office("x-city,line,facebook") as (app, chief, ctx, folder):
        templates.save(
            chief,
            "休日診療",
            "{日付}（{曜日}）の休日診療当番医をお知らせします。",
            ("x-city", "line"),
            "健康・福祉",
        )
        plan = folder / "12月の投稿計画.csv"
        plan.write_bytes(PLAN.encode("cp932"))
        photo = _sample_image(folder / "clinic.png", "#3b7d4f", "休日診療")
        _render(app, ctx, plan, photo)
    return 0


def _render(app: QApplication, ctx: AppContext, plan: Path, photo: Path) -> None:
    window = shown_window(app, ctx)
    shot = shooter(app, window)
    window.tabs.setCurrentIndex(TAB_TABLE)
    dialog = window.table.csv_actions.open_import(plan)
    window.runner.wait()
    app.processEvents()
    shot(dialog, "17-csv-import-preview.png")
    dialog.close()

    composer = window.composer
    assert composer is not None
    window.tabs.setCurrentIndex(TAB_COMPOSER)
    composer.templates.choose("休日診療")
    composer.picker.set_chosen(datetime(2027, 4, 26, 9, 0, tzinfo=JST))
    composer.attachments.add_paths([photo])
    composer.alt_texts.edits[photo].setText("休日診療当番医の一覧表")
    composer.repeat.enabled.setChecked(True)
    composer.repeat.until.setDate(QDate(2027, 5, 31))
    composer.run_check()
    shot(window, "18-composer-repeat-template.png")
    window.close()


if __name__ == "__main__":
    raise SystemExit(main())
