"""Scheduling from the composer, then finding, cancelling and editing the item in the queue."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.composer import Composer
from kodaira_desktop.ui.item_dialog import ItemDialog
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.queue_model import COLUMN_STATE
from tests.ui.conftest import JST
from tests.ui.helpers import click, input_text, tick_channels, type_text, wait_checked


def composer_of(window: MainWindow) -> Composer:
    assert window.composer is not None
    return window.composer


def schedule(qtbot: QtBot, window: MainWindow) -> None:
    composer = composer_of(window)
    assert composer.schedule_button.isEnabled()
    with (
        qtbot.waitSignal(composer.submitted, timeout=10_000),
        qtbot.waitSignal(window.table.loaded, timeout=10_000),
    ):
        click(qtbot, composer.schedule_button)
    wait_idle(qtbot, window)


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    """Every view has its fresh data (the loads run on workers)."""
    qtbot.waitUntil(lambda: not window.runner.busy)


def queue_item(ctx: AppContext, text: str, *channels: str) -> int:
    request = ComposeRequest(
        text=text, channels=channels, at=datetime(2026, 11, 26, 10, 0, tzinfo=JST)
    )
    return compose.submit(ctx, request).item_id


def double_click(qtbot: QtBot, viewport: QWidget, pos: QPoint) -> None:
    """A press first: item views open only what the double-click's press landed on."""
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=pos)


def open_first_row(qtbot: QtBot, window: MainWindow) -> ItemDialog:
    window.tabs.setCurrentWidget(window.table)
    view = window.table.view
    index = window.table.model.index(0, 0)
    with qtbot.waitSignal(window.table.itemOpened):
        double_click(qtbot, view.viewport(), view.visualRect(index).center())
    assert window.item_dialog is not None
    return window.item_dialog


def test_scheduling_puts_the_entries_in_the_calendar_and_the_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city", "line")
    type_text(qtbot, composer, "小平市からのお知らせです。")
    schedule(qtbot, window)

    assert "予約しました" in composer.result_label.text()
    assert composer.text_edit.toPlainText() == ""
    on_wednesday = window.calendar_panel.calendar.entries_on(date(2026, 11, 25))
    assert sorted(e.channel_key for e in on_wednesday) == ["line", "x-city"]
    assert all(e.state == EntryState.SCHEDULED for e in on_wednesday)
    window.calendar_panel.calendar.setSelectedDate(QDate(2026, 11, 25))
    assert window.calendar_panel.day_list.count() == 2
    assert window.table.model.rowCount() == 2
    assert "2 件表示" in window.table.count_label.text()
    assert not composer.drafts.path.exists()


def test_scheduling_on_a_chosen_slot(qtbot: QtBot, window: MainWindow) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "facebook")
    type_text(qtbot, composer, "金曜日のお知らせ")
    composer.picker.calendar.setSelectedDate(QDate(2026, 11, 27))
    line_edit = composer.picker.time_box.lineEdit()
    assert line_edit is not None
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, "14:00")
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)
    wait_checked(qtbot, composer)
    assert composer.picker.chosen_at() == datetime(2026, 11, 27, 14, 0, tzinfo=JST)
    schedule(qtbot, window)
    entries = window.calendar_panel.calendar.entries_on(date(2026, 11, 27))
    assert [e.channel_key for e in entries] == ["facebook"]


def test_an_emergency_post_waits_for_the_chief(qtbot: QtBot, window: MainWindow) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city", "line")
    type_text(qtbot, composer, "【緊急】避難指示が発令されました。")
    click(qtbot, composer.emergency_button)
    dialog = composer.emergency_dialog
    assert dialog is not None
    assert not dialog.submit_button.isEnabled()
    input_text(qtbot, dialog.reason, "土曜早朝の避難指示の周知")
    assert dialog.submit_button.isEnabled()
    dialog.when.setDateTime(QDateTime(QDate(2026, 11, 28), QTime(7, 0)))  # a Saturday
    with (
        qtbot.waitSignal(composer.submitted, timeout=10_000) as done,
        qtbot.waitSignal(window.table.loaded, timeout=10_000),
    ):
        click(qtbot, dialog.submit_button)
    wait_idle(qtbot, window)
    assert done.args[0].submitted.state == EntryState.AWAITING_APPROVAL
    assert "課長の確認待ち" in composer.result_label.text()
    saturday = window.calendar_panel.calendar.entries_on(date(2026, 11, 28))
    assert {e.state for e in saturday} == {EntryState.AWAITING_APPROVAL}
    states = {
        window.table.model.data(window.table.model.index(row, COLUMN_STATE))
        for row in range(window.table.model.rowCount())
    }
    assert states == {"△ 課長の確認待ち"}


def test_cancelling_an_item_from_the_table(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    item_id = queue_item(ctx, "取り消す予定のお知らせ", "x-city", "facebook")
    window.refresh_queue()
    wait_idle(qtbot, window)
    dialog = open_first_row(qtbot, window)
    assert dialog.item.id == item_id
    monkeypatch.setattr(prompts, "confirm", lambda *_: True)
    with qtbot.waitSignal(window.table.loaded):
        click(qtbot, dialog.cancel_button)
    wait_idle(qtbot, window)
    assert {e.state for e in compose.get_item(ctx, item_id).entries} == {EntryState.CANCELLED}
    assert window.table.model.data(window.table.model.index(0, COLUMN_STATE)) == "− 取り消し済み"


def test_cancel_asks_first(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    item_id = queue_item(ctx, "残すお知らせ", "line")
    window.refresh_queue()
    wait_idle(qtbot, window)
    dialog = open_first_row(qtbot, window)
    monkeypatch.setattr(prompts, "confirm", lambda *_: False)
    click(qtbot, dialog.cancel_button)
    assert {e.state for e in compose.get_item(ctx, item_id).entries} == {EntryState.SCHEDULED}


def test_a_sent_item_cannot_be_changed(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    item_id = queue_item(ctx, "送信中のお知らせ", "x-city")
    entry = compose.get_item(ctx, item_id).entries[0]
    ctx.store.transition(entry.id, entry.state, entry.version, EntryState.SENDING)
    dialog = window.open_item(item_id)
    assert dialog is not None
    assert not dialog.cancel_button.isEnabled()
    assert not dialog.edit_button.isEnabled()
    assert "変更できません" in dialog.message.text()


def test_remaking_in_the_composer_replaces_the_item(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    old_id = queue_item(ctx, "修正前のお知らせ", "x-city", "line")
    window.refresh_queue()
    wait_idle(qtbot, window)
    window.tabs.setCurrentWidget(window.calendar_panel)
    window.calendar_panel.calendar.setSelectedDate(QDate(2026, 11, 26))
    day_list = window.calendar_panel.day_list
    assert day_list.count() == 2
    rect = day_list.visualItemRect(day_list.item(0))
    with qtbot.waitSignal(window.calendar_panel.itemOpened):
        double_click(qtbot, day_list.viewport(), rect.center())
    dialog = window.item_dialog
    assert dialog is not None
    click(qtbot, dialog.recreate_button)

    composer = composer_of(window)
    assert window.tabs.currentWidget() is composer
    assert composer.text_edit.toPlainText() == "修正前のお知らせ"
    assert composer.selected_channels() == ["x-city", "line"]
    assert f"項目 #{old_id} を編集中" in composer.banner.text()
    assert composer.picker.calendar.selectedDate() == QDate(2026, 11, 26)
    composer.text_edit.selectAll()
    type_text(qtbot, composer, "修正後のお知らせ")
    schedule(qtbot, window)

    assert {e.state for e in compose.get_item(ctx, old_id).entries} == {EntryState.CANCELLED}
    assert f"元の項目 #{old_id} は取り消しました" in composer.result_label.text()
    live = [e for e in window.table.model.entries() if e.state == EntryState.SCHEDULED]
    assert {e.text for e in live} == {"修正後のお知らせ"}
    assert {e.item_id for e in live} != {old_id}
