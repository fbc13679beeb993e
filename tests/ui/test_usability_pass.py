"""Defects a person stumbled on when walking the window (issue 14), each reproduced first."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.domain.dates_ja import format_day, format_instant, format_month
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.composer import Composer
from kodaira_desktop.ui.confirm_dialog import APPROVE, OnTheSpotDialog
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.policy_calendar import CLOSED_BACKGROUND, PolicyCalendar
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import CHIEF_PASSWORD, JST, make_context
from tests.ui.emergency import chief_ctx, request_emergency, runner, states
from tests.ui.helpers import click, input_text, tick_channels, type_text, wait_checked

__all__ = ["chief_ctx", "runner"]


def composer_of(window: MainWindow) -> Composer:
    assert window.composer is not None
    return window.composer


# -- 2. the chief's confirmation dialog ------------------------------------------------------


def open_on_the_spot(qtbot: QtBot, ctx: AppContext, runner: TaskRunner) -> OnTheSpotDialog:
    item_id = request_emergency(ctx)
    dialog = OnTheSpotDialog(ctx, runner, item_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.chosen_chief() is not None)
    return dialog


def test_the_password_field_has_focus_and_enter_confirms(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    dialog = open_on_the_spot(qtbot, ctx, runner)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    assert dialog.action_buttons[APPROVE].isDefault()
    assert not dialog.cancel_button.isDefault()
    assert not dialog.cancel_button.autoDefault()
    qtbot.keyClicks(dialog.password, CHIEF_PASSWORD)
    with qtbot.waitSignal(dialog.succeeded, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert states(ctx, dialog.item_id) == {EntryState.SCHEDULED}


def test_enter_never_guesses_when_a_rejection_reason_was_typed(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    dialog = open_on_the_spot(qtbot, ctx, runner)
    input_text(qtbot, dialog.reason, "内容に誤りがあります")
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, CHIEF_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "ボタンを押してください" in dialog.message.text()
    assert states(ctx, dialog.item_id) == {EntryState.AWAITING_APPROVAL}


def test_a_cancel_says_what_did_not_happen(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    dialog = open_on_the_spot(qtbot, ctx, runner)
    with qtbot.waitSignal(dialog.cancelled) as cancelled:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert f"項目 #{dialog.item_id} は課長の確認待ちのまま" in cancelled.args[0]
    assert states(ctx, dialog.item_id) == {EntryState.AWAITING_APPROVAL}


# -- 3. the composer's calendar on a closed day --------------------------------------------


def click_day(qtbot: QtBot, calendar: PolicyCalendar, day: QDate) -> None:
    view = calendar.findChild(QTableView)
    assert view is not None
    model = view.model()
    first = QDate(calendar.yearShown(), calendar.monthShown(), 1)
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            value = index.data(Qt.ItemDataRole.DisplayRole)
            if value != day.day():
                continue
            in_other_month = (row <= 2 and day.day() > 20) or (row >= 4 and day.day() < 15)
            if in_other_month == (day.month() != first.month()):
                rect = view.visualRect(index)
                qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
                return
    raise AssertionError(f"{day.toString()} is not shown")


def cell_background(calendar: PolicyCalendar, day: QDate) -> str:
    image = calendar.grab().toImage()
    view = calendar.findChild(QTableView)
    assert view is not None
    model = view.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if index.data(Qt.ItemDataRole.DisplayRole) == day.day() and 1 <= row <= 4:
                rect = view.visualRect(index)
                corner = view.viewport().mapTo(calendar, rect.topLeft() + QPoint(3, 3))
                return image.pixelColor(corner).name()
    raise AssertionError("not shown")


def test_a_closed_day_click_keeps_the_month_offers_the_next_slot_and_keeps_the_shading(
    qtbot: QtBot, window: MainWindow
) -> None:
    picker = composer_of(window).picker
    picker.calendar.setCurrentPage(2027, 1)
    assert cell_background(picker.calendar, QDate(2027, 1, 11)) == CLOSED_BACKGROUND.name()
    click_day(qtbot, picker.calendar, QDate(2027, 1, 11))  # 成人の日
    assert (picker.calendar.yearShown(), picker.calendar.monthShown()) == (2027, 1)
    assert "成人の日" in picker.message.text()
    assert "2027年1月12日（火）" in picker.message.text()
    assert picker.use_suggestion.isVisible()
    # the shading is the month's own: the holiday and the weekend still grey
    assert cell_background(picker.calendar, QDate(2027, 1, 11)) == CLOSED_BACKGROUND.name()
    assert cell_background(picker.calendar, QDate(2027, 1, 16)) == CLOSED_BACKGROUND.name()
    assert cell_background(picker.calendar, QDate(2027, 1, 13)) != CLOSED_BACKGROUND.name()
    click(qtbot, picker.use_suggestion)
    assert picker.calendar.selectedDate() == QDate(2027, 1, 12)
    assert picker.problem is None


# -- 4. Japan time everywhere ----------------------------------------------------------------


@pytest.fixture
def honolulu(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PC's clock zone is Hawaii: 09:00 Wednesday in Tokyo is Tuesday 14:00 there."""
    monkeypatch.setenv("TZ", "Pacific/Honolulu")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def test_the_big_calendar_opens_on_japans_today(
    qtbot: QtBot, honolulu: None, database_file: Path
) -> None:
    # 2026-12-01 08:00 in Tokyo is still 30 November on the PC's clock.
    clock = FakeClock(datetime(2026, 12, 1, 8, 0, tzinfo=JST))
    ctx = make_context(database_file, clock)
    try:
        main = MainWindow(ctx)
        qtbot.addWidget(main)
        calendar = main.calendar_panel.calendar
        assert calendar.selectedDate() == QDate(2026, 12, 1)
        assert (calendar.yearShown(), calendar.monthShown()) == (2026, 12)
        assert main.shows_current_month()
    finally:
        main.runner.wait()
        ctx.close()


# -- 5. no error before the user has done anything, none right after success ------------------


def test_a_fresh_composer_with_channels_ticked_shows_no_errors(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city", "line")
    wait_checked(qtbot, composer)
    assert not composer.problems.isVisible()
    for key in ("x-city", "line"):
        tab = composer.channel_tabs[key]
        assert not composer.tabs.tabText(composer.tabs.indexOf(tab)).startswith("⚠")
        assert composer.channel_boxes[key].property("hasProblem") is False
    assert not composer.schedule_button.isEnabled()
    assert composer.schedule_reason.text() == "本文を入力すると予約できます。"


def test_after_scheduling_the_composer_is_clean_and_the_message_goes(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city", "line")
    type_text(qtbot, composer, "お知らせです")
    with qtbot.waitSignal(composer.submitted, timeout=10_000):
        click(qtbot, composer.schedule_button)
    wait_checked(qtbot, composer)
    assert "予約しました" in composer.result_label.text()
    assert not composer.problems.isVisible()
    assert all(not box.property("hasProblem") for box in composer.channel_boxes.values())
    assert composer.dismiss_result.isVisible()
    type_text(qtbot, composer, "次")
    assert composer.result_label.text() == ""
    assert not composer.dismiss_result.isVisible()


def test_the_reason_is_shown_beside_a_disabled_schedule_button(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = composer_of(window)
    assert composer.schedule_reason.text() == "投稿先を選んでください。"
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "小" * 141)
    assert not composer.schedule_button.isEnabled()
    assert "問題を直すと予約できます" in composer.schedule_reason.text()


# -- 6. 新規（下書きを消去） asks, and can be undone -------------------------------------------


def test_new_asks_before_discarding_and_can_be_undone(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "大切な下書き")
    monkeypatch.setattr(prompts, "confirm", lambda *_: False)
    click(qtbot, composer.clear_button)
    assert composer.text_edit.toPlainText() == "大切な下書き"
    monkeypatch.setattr(prompts, "confirm", lambda *_: True)
    click(qtbot, composer.clear_button)
    assert composer.text_edit.toPlainText() == ""
    assert composer.undo_button.isVisible()
    click(qtbot, composer.undo_button)
    assert composer.text_edit.toPlainText() == "大切な下書き"
    assert not composer.undo_button.isVisible()


# -- 7. one way of writing dates --------------------------------------------------------------


def test_one_way_of_writing_dates() -> None:
    when = datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    assert format_instant(when) == "2026年12月1日（火）10:00"
    assert format_day(when.date()) == "2026年12月1日（火）"
    assert format_month(2026, 11) == "2026年11月"


def test_calendar_headers_read_year_then_month(qtbot: QtBot, window: MainWindow) -> None:
    calendar = window.calendar_panel.calendar
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.header_text() == "2026年11月"
    calendar.showNextMonth()
    assert calendar.header_text() == "2026年12月"
    picker_calendar = composer_of(window).picker.calendar
    assert picker_calendar.header_text() == "2026年11月"


def test_the_table_writes_dates_the_japanese_way(qtbot: QtBot, window: MainWindow) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "お知らせです")
    with qtbot.waitSignal(window.queueRefreshed, timeout=10_000):
        click(qtbot, composer.schedule_button)
    table = window.table
    qtbot.waitUntil(lambda: table.model.rowCount() > 0)
    shown = table.model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    assert shown.startswith("2026年11月25日（水）")


def test_enter_in_the_table_opens_the_item(qtbot: QtBot, window: MainWindow) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "お知らせです")
    with qtbot.waitSignal(window.queueRefreshed, timeout=10_000):
        click(qtbot, composer.schedule_button)
    window.tabs.setCurrentIndex(2)
    view = window.table.view
    qtbot.waitUntil(lambda: window.table.model.rowCount() > 0)
    view.setFocus()
    view.setCurrentIndex(window.table.model.index(0, 0))
    with qtbot.waitSignal(window.table.itemOpened, timeout=5_000):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not view.tabKeyNavigation()
    assert os.environ.get("QT_QPA_PLATFORM") == "offscreen"


# -- 8. wording ---------------------------------------------------------------------------------


def test_the_window_speaks_japanese_only() -> None:
    from kodaira_desktop.ui.wording import for_window

    assert for_window("パスワードが違います (wrong password for chief)") == "パスワードが違います"
    assert for_window("database error: connection refused") == (
        "database error: connection refused"
    )
    assert for_window("承認済み（課長）") == "承認済み（課長）"


def test_a_wrong_password_is_shown_in_japanese_only(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    dialog = open_on_the_spot(qtbot, ctx, runner)
    qtbot.keyClicks(dialog.password, "not-the-password")
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "パスワードが違います" in failed.args[0]
    assert not any(c.isascii() and c.isalpha() for c in dialog.message.text())


def test_the_legend_and_labels_read_naturally(window: MainWindow) -> None:
    legend = window.calendar_panel.findChildren(type(window.calendar_panel.day_title))
    text = " ".join(label.text() for label in legend)
    assert "予約済み？" not in text
    assert "予約済み ?" not in text
    assert "△ 課長の確認待ち" in text
    assert window.windowTitle() == "小平市 SNS投稿予約"


def test_staff_level_units_and_an_explained_line_quota(qtbot: QtBot, window: MainWindow) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "line", "youtube")
    line = composer.channel_tabs["line"]
    line.set_quota(None)
    assert "課長に認証情報の確認を依頼" in line.quota.text()
    for tab in composer.channel_tabs.values():
        assert "UTF" not in tab.counter.text()


def test_holiday_refusals_have_no_nested_brackets(window: MainWindow) -> None:
    policy = window.ctx.policy
    when = datetime(2027, 1, 11, 10, 0, tzinfo=JST)
    decision = policy.check(when)
    sentence = policy.explain(format_instant(when), decision.reasons, decision.holiday_name)
    assert sentence == "2027年1月11日（月）10:00は祝日（成人の日）のため投稿できません。"
    assert "（祝日（" not in sentence
    late = datetime(2026, 11, 25, 18, 0, tzinfo=JST)
    decision = policy.check(late)
    assert policy.explain(format_instant(late), decision.reasons, None) == (
        "2026年11月25日（水）18:00は投稿できる時間（平日 8:30〜17:15）の外です。"
    )


# -- 9. the chief sees what waits --------------------------------------------------------------


def test_a_chief_is_told_of_waiting_requests_on_start_and_can_jump_to_them(
    qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext
) -> None:
    item_id = request_emergency(ctx)
    main = MainWindow(chief_ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    button = main.oversight.waiting_button
    assert button is not None
    qtbot.waitUntil(button.isVisible)
    assert "確認待ちの緊急投稿が 1 件" in button.text()
    click(qtbot, button)
    inbox = main.oversight.inbox
    assert inbox is not None
    assert main.tabs.currentWidget() is inbox
    inbox.select_item(item_id)
    assert "までに承認されないと" in inbox.summary.deadline_label.text()
    assert "承認の期限を過ぎた依頼は" in inbox.heading.text()
    main.runner.wait()


def test_staff_get_no_waiting_notice(window: MainWindow) -> None:
    assert window.oversight.waiting_button is None


# -- 10. layouts hold at 1024x768 ---------------------------------------------------------------


def test_the_composer_fits_1024x768_without_sideways_scrolling(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(1024, 768)
    composer = composer_of(window)
    tick_channels(qtbot, composer, *composer.channel_boxes)
    type_text(qtbot, composer, "小平市民まつりのお知らせ")
    composer.tabs.setCurrentWidget(composer.channel_tabs["youtube"])
    QApplication.processEvents()
    scroll = composer.form_scroll
    assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    form = scroll.widget()
    assert form is not None
    assert form.minimumSizeHint().width() <= scroll.viewport().width()
    youtube = composer.channel_tabs["youtube"]
    assert youtube.preview.isVisible()
    assert youtube.preview.width() > 150


def test_the_day_list_wraps_instead_of_scrolling_sideways(window: MainWindow) -> None:
    day_list = window.calendar_panel.day_list
    assert day_list.wordWrap()
    assert day_list.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_wide_calendar_cells_show_the_first_words(qtbot: QtBot, window: MainWindow) -> None:
    from kodaira_desktop.ui.queue_calendar import CalendarLine

    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city")
    composer.text_edit.setPlainText("市民まつりのお知らせ\n二行目")
    wait_checked(qtbot, composer)
    with qtbot.waitSignal(window.queueRefreshed, timeout=10_000):
        click(qtbot, composer.schedule_button)
    window.resize(1920, 1080)
    window.tabs.setCurrentIndex(1)
    calendar = window.calendar_panel.calendar
    qtbot.waitUntil(lambda: bool(calendar._lines))
    lines = next(iter(calendar._lines.values()))
    assert isinstance(lines[0], CalendarLine)
    assert lines[0].snippet == "市民まつりのお知らせ"
    calendar.grab()  # paints every cell, snippets included, without error


# -- 11. smaller things -------------------------------------------------------------------------


def test_the_help_menu_has_a_guide_and_the_version(window: MainWindow) -> None:
    from kodaira_desktop import __version__
    from kodaira_desktop.ui.help_menu import about_text, guide_text

    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["表示", "設定(&S)", "ヘルプ"]  # 設定: start at login (test_settings_menu.py)
    help_menu = window.menuBar().actions()[2].menu()
    assert [a.text() for a in help_menu.actions()] == ["使い方", "バージョン情報"]
    assert "平日 8:30〜17:15" in guide_text(window.ctx.policy.hours_text())
    assert __version__ in about_text()


def test_the_item_dialog_says_which_change_is_which_and_counts_while_editing(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city", "line")
    type_text(qtbot, composer, "お知らせです")
    with qtbot.waitSignal(window.queueRefreshed, timeout=10_000):
        click(qtbot, composer.schedule_button)
    item_id = int(composer.result_label.text().split("#")[1].split("、")[0])
    dialog = window.open_item(item_id)
    assert dialog is not None
    assert dialog.edit_button.text() == "編集（本文・日時・分類・添付）"
    assert dialog.recreate_button.text() == "投稿先を変えて作り直す…"
    click(qtbot, dialog.edit_button)
    assert dialog.counters.isVisible()
    assert "小平市公式 X：12 / 280" in dialog.counters.text()
    assert "LINE：6 / 5,000" in dialog.counters.text()
    dialog.text.selectAll()
    input_text(qtbot, dialog.text, "小" * 141)
    assert "#c62828" in dialog.counters.text()


def test_days_of_the_neighbouring_months_show_their_entries(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from kodaira_desktop.services import compose
    from kodaira_desktop.services.compose import ComposeRequest

    december = datetime(2026, 12, 2, 10, 0, tzinfo=JST)  # in November's grid, last row
    compose.submit(ctx, ComposeRequest(text="十二月のお知らせ", channels=("x-city",), at=december))
    window.refresh_queue()
    calendar = window.calendar_panel.calendar
    qtbot.waitUntil(lambda: bool(calendar.entries_on(december.date())), timeout=10_000)
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 11)
