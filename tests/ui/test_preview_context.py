"""The per-channel previews show each image's 代替テキスト under it, and fill 定型文
placeholders ({日付}{曜日}{時刻}) from the chosen time, as they will be sent."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kodaira_desktop.ui.composer import Composer
from kodaira_desktop.ui.main_window import MainWindow
from tests.samples import png_bytes
from tests.ui.conftest import JST
from tests.ui.helpers import tick_channels, type_text, wait_checked


@pytest.fixture
def composer(window: MainWindow) -> Composer:
    assert window.composer is not None
    return window.composer


def captions(composer: Composer, key: str) -> list[str]:
    preview = composer.channel_tabs[key].preview
    return [label.text() for label in preview.findChildren(QLabel, "altCaption")]


def test_previews_show_alt_texts_and_filled_placeholders(
    qtbot: QtBot, composer: Composer, tmp_path: Path
) -> None:
    tick_channels(qtbot, composer, "x-city", "facebook")
    composer.picker.set_chosen(datetime(2026, 12, 1, 10, 0, tzinfo=JST))
    type_text(qtbot, composer, "{日付}（{曜日}）{時刻}から休日診療を行います")
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(png_bytes(40, 30))
    second.write_bytes(png_bytes(30, 40))
    composer.attachments.add_paths([first, second])
    composer.alt_texts.edits[first].setText("診療所の入口")
    wait_checked(qtbot, composer)

    body = composer.channel_tabs["x-city"].preview.body.text()
    assert "12月1日（火）10:00から休日診療を行います" in body
    assert "{日付}" not in body
    assert captions(composer, "x-city") == ["ALT: 診療所の入口", "ALT なし"]
    assert captions(composer, "facebook") == ["ALT: 診療所の入口", "ALT なし"]
    # The editor keeps the placeholders: they are filled again when the time changes.
    assert "{日付}" in composer.text_edit.toPlainText()
    composer.picker.set_chosen(datetime(2026, 12, 2, 14, 30, tzinfo=JST))
    wait_checked(qtbot, composer)
    body = composer.channel_tabs["x-city"].preview.body.text()
    assert "12月2日（水）14:30から" in body
