"""代替テキスト in the composer: one line per attached image, kept with the queued item."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import MainWindow
from tests.ui.conftest import JST
from tests.ui.helpers import click, input_text, tick_channels, type_text, wait_checked


def test_alt_text_is_asked_per_image_and_kept_with_the_item(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, sample_png: Path
) -> None:
    composer = window.composer
    assert composer is not None
    assert not composer.alt_texts.isVisible()
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "市民まつり")
    composer.attachments.add_paths([sample_png])
    wait_checked(qtbot, composer)
    assert composer.alt_texts.isVisible()
    assert list(composer.alt_texts.edits) == [sample_png]
    assert "代替テキストのない画像があります（photo.png）" in composer.notes.text()

    input_text(qtbot, composer.alt_texts.edits[sample_png], "会場の写真")
    wait_checked(qtbot, composer)
    assert "代替テキスト" not in composer.notes.text()
    composer.picker.set_chosen(datetime(2026, 12, 1, 10, 0, tzinfo=JST))
    wait_checked(qtbot, composer)
    with qtbot.waitSignal(composer.submitted, timeout=10_000):
        click(qtbot, composer.schedule_button)
    [entry] = ctx.store.list_entries()
    item = ctx.store.get_item(entry.item_id)
    assert item is not None
    assert [m.alt_text for m in item.media] == ["会場の写真"]
    assert not composer.alt_texts.isVisible()  # cleared with the composer
    qtbot.waitUntil(lambda: not window.runner.busy)
