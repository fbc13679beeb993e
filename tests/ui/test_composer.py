"""The composer as a member of staff uses it: channels, counters, problems, the schedule."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.ui.composer import Composer
from kodaira_desktop.ui.main_window import MainWindow
from tests.ui.conftest import make_context
from tests.ui.helpers import click, input_text, tick_channels, type_text, wait_checked


@pytest.fixture
def composer(window: MainWindow) -> Composer:
    assert window.composer is not None
    return window.composer


def test_only_designated_channels_are_offered(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    ctx = make_context(database_file, clock, login="sato")
    try:
        main = MainWindow(ctx)
        qtbot.addWidget(main)
        assert main.composer is not None
        assert list(main.composer.channel_boxes) == ["line"]
        assert main.composer.channel_boxes["line"].text() == "LINE"
        assert "佐藤 一郎（担当者）" in main.status.user_label.text()
    finally:
        main.runner.wait()
        ctx.close()


def test_x_counter_turns_red_past_280_and_blocks_scheduling(
    qtbot: QtBot, composer: Composer
) -> None:
    tick_channels(qtbot, composer, "x-city")
    tab = composer.channel_tabs["x-city"]
    type_text(qtbot, composer, "小" * 140)
    assert tab.counter.text().startswith("280 / 280")
    assert tab.counter.property("overLimit") is False
    assert composer.schedule_button.isEnabled()

    type_text(qtbot, composer, "平")
    assert tab.counter.text().startswith("282 / 280")
    assert tab.counter.property("overLimit") is True
    assert "#c62828" in tab.counter.styleSheet()
    assert not composer.schedule_button.isEnabled()
    assert composer.tabs.tabText(composer.tabs.indexOf(tab)).startswith("⚠")
    assert composer.channel_boxes["x-city"].property("hasProblem") is True
    assert "上限 280 を 2 超えています" in tab.problems.text()

    qtbot.keyClick(composer.text_edit, Qt.Key.Key_Backspace)
    wait_checked(qtbot, composer)
    assert composer.schedule_button.isEnabled()
    assert composer.channel_boxes["x-city"].property("hasProblem") is False


def test_line_counts_utf16_units_up_to_5000(qtbot: QtBot, composer: Composer) -> None:
    tick_channels(qtbot, composer, "line")
    composer.text_edit.insertPlainText("あ" * 4999)  # pasted
    type_text(qtbot, composer, "い")
    tab = composer.channel_tabs["line"]
    assert tab.counter.text().startswith("5,000 / 5,000")
    assert composer.schedule_button.isEnabled()
    type_text(qtbot, composer, "う")
    assert tab.counter.property("overLimit") is True
    assert not composer.schedule_button.isEnabled()
    assert "LINE の本文" in tab.problems.text()


def test_youtube_needs_a_video_and_a_clean_title(qtbot: QtBot, composer: Composer) -> None:
    tick_channels(qtbot, composer, "youtube")
    type_text(qtbot, composer, "小平市の紹介動画です。")
    tab = composer.channel_tabs["youtube"]
    assert "動画がちょうど 1 本必要" in tab.problems.text()
    assert "タイトルが空" in tab.problems.text()
    input_text(qtbot, tab.title_edit, "<小平>の四季")
    wait_checked(qtbot, composer)
    assert "「<」「>」は使えません" in tab.problems.text()
    assert tab.counter.text().startswith("タイトル 7 / 100 文字")
    assert not composer.schedule_button.isEnabled()


def test_a_channel_may_override_the_common_text(qtbot: QtBot, composer: Composer) -> None:
    tick_channels(qtbot, composer, "x-city", "facebook")
    type_text(qtbot, composer, "共通のお知らせ")
    facebook = composer.channel_tabs["facebook"]
    composer.tabs.setCurrentWidget(facebook)
    click(qtbot, facebook.inherit)
    assert not facebook.editor.isReadOnly()
    facebook.editor.moveCursor(facebook.editor.textCursor().MoveOperation.End)
    input_text(qtbot, facebook.editor, "（Facebook では写真も掲載）")
    wait_checked(qtbot, composer)
    request = composer.build_request()
    assert request.overrides == {"facebook": "共通のお知らせ（Facebook では写真も掲載）"}
    assert composer.channel_tabs["x-city"].editor.toPlainText() == "共通のお知らせ"
    assert "写真も掲載" in facebook.preview.body.text()


def test_a_closed_day_cannot_be_picked(qtbot: QtBot, composer: Composer) -> None:
    calendar = composer.picker.calendar
    assert calendar.selectedDate() == QDate(2026, 11, 25)
    with qtbot.waitSignal(calendar.closedDayRefused) as refused:
        calendar.setSelectedDate(QDate(2026, 12, 29))  # a Tuesday in the year-end closure
    assert "年末年始" in refused.args[1]
    assert calendar.selectedDate() == QDate(2026, 11, 25)
    assert "2026年12月29日（火）は年末年始のため投稿できません" in composer.picker.message.text()
    assert "年末年始" in calendar.dateTextFormat(QDate(2026, 12, 29)).toolTip()
    with qtbot.waitSignal(calendar.closedDayRefused) as refused:
        calendar.setSelectedDate(QDate(2026, 11, 28))
    assert "土日" in refused.args[1]
    assert composer.picker.problem is None  # the chosen day stays the open one


def test_a_time_after_1715_is_refused_with_the_next_slot(qtbot: QtBot, composer: Composer) -> None:
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "夕方のお知らせ")
    assert composer.schedule_button.isEnabled()
    picker = composer.picker
    line_edit = picker.time_box.lineEdit()
    assert line_edit is not None
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, "17:16")
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)
    wait_checked(qtbot, composer)
    assert picker.problem is not None
    assert "2026年11月25日（水）17:16は投稿できる時間（平日 8:30〜17:15）の外です" in picker.problem
    assert "次に投稿できるのは 2026年11月26日（木）08:30 です" in picker.problem
    assert not composer.schedule_button.isEnabled()

    click(qtbot, picker.use_suggestion)
    wait_checked(qtbot, composer)
    assert picker.problem is None
    assert picker.time_box.currentText() == "08:30"
    assert picker.calendar.selectedDate() == QDate(2026, 11, 26)
    assert composer.schedule_button.isEnabled()


def test_the_time_list_offers_only_the_window(composer: Composer) -> None:
    box = composer.picker.time_box
    slots = [box.itemText(i) for i in range(box.count())]
    assert slots[0] == "08:30"
    assert slots[-1] == "17:15"
    assert all("08:30" <= s <= "17:15" for s in slots)


def test_the_default_is_the_next_allowed_slot(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    clock.advance(9 * 3600)  # Wednesday 18:00: the window has closed
    ctx = make_context(database_file, clock)
    try:
        main = MainWindow(ctx)
        qtbot.addWidget(main)
        assert main.composer is not None
        picker = main.composer.picker
        assert picker.is_automatic
        assert picker.chosen_at() is None
        assert picker.calendar.selectedDate() == QDate(2026, 11, 26)
        assert picker.time_box.currentText() == "08:30"
    finally:
        main.runner.wait()
        ctx.close()


def test_an_unreadable_time_is_refused(qtbot: QtBot, composer: Composer) -> None:
    line_edit = composer.picker.time_box.lineEdit()
    assert line_edit is not None
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, "25:99")
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)
    assert composer.picker.problem is not None
    assert "読めません" in composer.picker.problem


def test_an_image_shows_a_thumbnail_and_line_explains_it_sends_text_alone(
    qtbot: QtBot, composer: Composer, sample_png: Path
) -> None:
    tick_channels(qtbot, composer, "x-city", "line")
    type_text(qtbot, composer, "写真付きのお知らせ")
    composer.attachments.add_paths([sample_png])
    wait_checked(qtbot, composer)
    icon = composer.attachments.view.item(0).icon()
    assert not icon.isNull()
    assert "本文のみ送信" in composer.notes.text()
    assert "本文だけが送られます" in composer.channel_tabs["line"].notes.text()
    assert composer.schedule_button.isEnabled()
    assert composer.build_request().media == (sample_png,)
