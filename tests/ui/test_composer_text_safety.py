"""Issue 15, finding 7: the composer shows refused characters with their position."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kodaira_desktop.ui.main_window import MainWindow
from tests.ui.helpers import input_text, tick_channels, type_text, wait_checked


def test_a_bidi_override_is_shown_with_its_position_and_blocks_scheduling(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = window.composer
    assert composer is not None
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "市役所")
    assert composer.schedule_button.isEnabled()
    composer.text_edit.insertPlainText("\u202egnp.exe")  # pasted
    wait_checked(qtbot, composer)
    tab = composer.channel_tabs["x-city"]
    assert "4 文字目" in tab.problems.text()
    assert "U+202E" in tab.problems.text()
    assert not composer.schedule_button.isEnabled()


def test_a_bidi_isolate_in_the_youtube_title_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    composer = window.composer
    assert composer is not None
    tick_channels(qtbot, composer, "youtube")
    type_text(qtbot, composer, "小平市の紹介動画です。")
    tab = composer.channel_tabs["youtube"]
    input_text(qtbot, tab.title_edit, "小平")
    tab.title_edit.insert("\u2067の四季")  # pasted
    wait_checked(qtbot, composer)
    assert "タイトルの 3 文字目" in tab.problems.text()
    assert "U+2067" in tab.problems.text()
    assert not composer.schedule_button.isEnabled()
