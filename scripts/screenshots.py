"""Render every screen of the GUI to PNG under docs/screenshots/ (offscreen, no display).

Builds a throw-away SQLite database with a chief, a designated member of staff and a few
sample entries in various states, on a fixed clock (Wednesday 25 November 2026, 10:00 JST),
so the pictures are the same on every run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import accounts, compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import TAB_CALENDAR, TAB_COMPOSER, TAB_TABLE, MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshots_oversight

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=JST)
PASSWORD = "password123"
#: (when, channels, text) of the sample items queued "yesterday".
SAMPLES = (
    (datetime(2026, 11, 25, 9, 0, tzinfo=JST), ("x-city", "facebook"),
     "【お知らせ】本日は小平市役所の窓口を通常どおり開庁しています。"),
    (datetime(2026, 11, 26, 9, 0, tzinfo=JST), ("x-city", "line", "facebook"),
     "11月28日（土）・29日（日）に小平市民まつりを開催します。ぜひお越しください。"),
    (datetime(2026, 11, 26, 13, 30, tzinfo=JST), ("x-mayor",),
     "市長が小平第三小学校の創立記念式典に出席しました。"),
    (datetime(2026, 11, 27, 10, 0, tzinfo=JST), ("x-city", "x-mayor", "line", "facebook"),
     "年末年始（12月29日〜1月3日）の窓口のご案内です。"),
    (datetime(2026, 12, 2, 15, 0, tzinfo=JST), ("facebook",),
     "ブルーベリーの里・小平の冬の風景をお届けします。"),
    (datetime(2026, 11, 30, 8, 30, tzinfo=JST), ("line", "x-city"),
     "ごみ収集日程の変更についてお知らせします。"),
)  # fmt: skip


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("KODAIRA_DATABASE_URL", "KODAIRA_POLICY", "KODAIRA_USER"):
        env.pop(name, None)
    env.update(
        KODAIRA_DATA_DIR=str(folder / "data"),
        KODAIRA_CONFIG_DIR=str(folder / "config"),
        KODAIRA_SITE_CONFIG_DIR=str(folder / "site"),
        KODAIRA_TEST_SCRYPT_N="1024",
        KODAIRA_GUI_DISPATCH="0",  # the pictures show the queue as seeded, nothing sent
    )
    return env


def _sample_image(path: Path, colour: str, caption: str) -> Path:
    image = QImage(640, 420, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    painter = QPainter(image)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setPointSize(40)
    painter.setFont(font)
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, caption)
    painter.end()
    image.save(str(path))
    return path


def _seed(ctx: AppContext, clock: FakeClock, folder: Path) -> None:
    photo = _sample_image(folder / "kodaira-festival.png", "#3b7d4f", "小平市民まつり")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=JST))  # queue them "yesterday"
    for at, channels, text in SAMPLES:
        media = (photo,) if "facebook" in channels and "まつり" in text else ()
        compose.submit(ctx, ComposeRequest(text=text, channels=channels, at=at, media=media))
    # Published and failed entries from earlier in the month.
    clock.set(datetime(2026, 11, 16, 9, 0, tzinfo=JST))
    past = compose.submit(
        ctx,
        ComposeRequest(
            text="小平市の木・ケヤキが色づきました。",
            channels=("x-city", "facebook"),
            at=datetime(2026, 11, 18, 11, 0, tzinfo=JST),
        ),
    )
    clock.set(NOW)
    for entry in compose.get_item(ctx, past.item_id).entries:
        ctx.store.transition(entry.id, entry.state, entry.version, EntryState.SENDING)
        fresh = ctx.store.get_entry(entry.id)
        assert fresh is not None
        final = EntryState.PUBLISHED if entry.channel_key == "x-city" else EntryState.FAILED
        error = "Facebook: アクセストークンの有効期限切れ" if final == EntryState.FAILED else None
        ctx.store.transition(fresh.id, fresh.state, fresh.version, final, last_error=error)
    compose.submit(
        ctx,
        ComposeRequest(
            text="【緊急】大雨のため、市内の一部地域に避難指示が発令されました。",
            channels=("x-city", "line"),
            at=datetime(2026, 11, 28, 7, 0, tzinfo=JST),
            emergency_reason="避難指示の周知（土曜日早朝）",
        ),
    )


@contextmanager
def office(
    channels: str = "x-city,x-mayor,line,facebook,youtube",
) -> Iterator[tuple[QApplication, AppContext, AppContext, Path]]:
    """The Qt application, the chief's and tanaka's (staff of ``channels``) contexts on a
    throw-away database at the fixed clock, and its folder (for sample files)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="kodaira-shots-") as temp:
        folder = Path(temp)
        env = _environment(folder)
        database = f"sqlite:///{folder / 'queue.sqlite3'}"
        clock = FakeClock(NOW)
        chief = AppContext.create(database=database, login="chief", environ=env, clock=clock)
        accounts.initialize(chief, "chief", PASSWORD, "秘書広報課長")
        accounts.add_user(
            chief, "tanaka", "staff", channels, display_name="田中 花子",
            chief_password=PASSWORD, new_password=None,
        )  # fmt: skip
        ctx = AppContext.create(database=database, login="tanaka", environ=env, clock=clock)
        try:
            yield app, chief, ctx, folder
        finally:
            chief.close()
            ctx.close()


@contextmanager
def seeded_office() -> Iterator[tuple[QApplication, AppContext, AppContext, Path]]:
    """``office()`` with the month's sample entries queued, published and failed."""
    with office() as (app, chief, ctx, folder):
        clock = ctx.clock
        assert isinstance(clock, FakeClock)
        _seed(ctx, clock, folder)
        yield app, chief, ctx, folder


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with seeded_office() as (app, chief, ctx, folder):
        _render(app, ctx, folder)
        screenshots_oversight.render(app, ctx, chief, PASSWORD, OUT)
    return 0


def shown_window(app: QApplication, ctx: AppContext) -> MainWindow:
    """The main window at the pictures' size, shown, its start-up loads in."""
    window = MainWindow(ctx)
    window.resize(1400, 900)
    window.show()
    window.runner.wait()
    app.processEvents()
    return window


def shooter(app: QApplication, window: MainWindow) -> Callable[[QWidget, str], None]:
    """Saves a widget's picture under OUT once the window's background answers are in."""

    def shot(widget: QWidget, name: str) -> None:
        window.runner.wait()  # background answers (the LINE quota …) are in
        app.processEvents()
        widget.grab().save(str(OUT / name))
        print(f"wrote {OUT / name}")

    return shot


def _render(app: QApplication, ctx: AppContext, folder: Path) -> None:
    window = shown_window(app, ctx)
    composer = window.composer
    assert composer is not None
    shot = shooter(app, window)

    # 1. An empty composer (the default slot, nothing chosen yet).
    window.tabs.setCurrentIndex(TAB_COMPOSER)
    shot(window, "01-composer-empty.png")

    # 2. A valid post to four channels with a photo; the Facebook tab shows the preview.
    composer.text_edit.setPlainText(
        "【小平市民まつり】11月28日（土）・29日（日）に小平市民まつりを開催します。"
        "会場は小平市民総合体育館周辺です。ぜひお越しください。\nhttps://www.city.kodaira.tokyo.jp/"
    )
    for key in ("x-city", "line", "facebook"):
        composer.channel_boxes[key].setChecked(True)
    composer.attachments.add_paths([folder / "kodaira-festival.png"])
    composer.tabs.setCurrentWidget(composer.channel_tabs["facebook"])
    composer.run_check()
    shot(window, "02-composer-valid.png")

    composer.tabs.setCurrentWidget(composer.channel_tabs["line"])
    shot(window, "03-composer-line-preview.png")

    # 3. Problems: X over 280, YouTube without a video or title, a forbidden time.
    composer.text_edit.setPlainText("小平市からのお知らせです。" * 12)
    composer.channel_boxes["youtube"].setChecked(True)
    composer.picker.calendar.setSelectedDate(QDate(2026, 11, 26))
    composer.picker.time_box.setEditText("17:16")
    composer.picker._on_user_change()
    composer.tabs.setCurrentWidget(composer.channel_tabs["x-city"])
    composer.run_check()
    shot(window, "04-composer-problems.png")
    composer.clear()

    # 4. The queue as a calendar and as a table.
    window.tabs.setCurrentIndex(TAB_CALENDAR)
    window.calendar_panel.calendar.setSelectedDate(QDate(2026, 11, 26))
    shot(window, "05-queue-calendar.png")
    window.tabs.setCurrentIndex(TAB_TABLE)
    shot(window, "06-queue-table.png")

    # 5. Dialogs.
    dialog = window.open_item(2)
    assert dialog is not None
    shot(dialog, "07-item-dialog.png")
    dialog.close()
    emergency = composer.open_emergency_dialog()
    emergency.reason.setPlainText("大雨による避難指示の発令を周知するため")
    shot(emergency, "08-emergency-dialog.png")
    emergency.close()
    window.close()


if __name__ == "__main__":
    raise SystemExit(main())
