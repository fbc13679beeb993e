"""The composer's 「繰り返し」 control: the preview of every occurrence, and queueing a series."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.services import compose, repeats
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.repeat_control import RepeatControl, rule_for
from tests.ui.conftest import JST
from tests.ui.helpers import click, tick_channels, type_text, wait_checked


def control(qtbot: QtBot) -> RepeatControl:
    widget = RepeatControl(PostingPolicy.default())
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def choose(widget: RepeatControl, key: str) -> None:
    widget.frequency.setCurrentIndex(widget.frequency.findData(key))


def test_golden_week_2027_is_previewed_with_the_moved_monday(qtbot: QtBot) -> None:
    widget = control(qtbot)
    widget.set_start(datetime(2027, 4, 26, 9, 0, tzinfo=JST))
    assert widget.choice() is None  # off until ticked
    assert not widget.details.isVisible()
    click(qtbot, widget.enabled)
    choose(widget, "weekly")
    widget.until.setDate(QDate(2027, 5, 17))
    choice = widget.choice()
    assert choice is not None
    assert (choice.rule, choice.on_closed) == ("FREQ=WEEKLY;BYDAY=MO", "next")
    assert widget.preview_lines() == [
        "4 回投稿します（FREQ=WEEKLY;BYDAY=MO）",
        "・2027-04-26（月）09:00",
        "→ 2027-05-03（月）09:00 を 2027-05-06（木）09:00 に移動（祝日（憲法記念日））",
        "・2027-05-10（月）09:00",
        "・2027-05-17（月）09:00",
    ]
    widget.on_closed.setCurrentIndex(widget.on_closed.findData("skip"))
    assert widget.preview_lines()[0] == "3 回投稿します（FREQ=WEEKLY;BYDAY=MO）"
    assert widget.preview_lines()[2] == "× 2027-05-03（月）09:00 投稿しない（祝日（憲法記念日））"


def test_the_last_day_follows_the_start_and_a_bad_rule_is_said(qtbot: QtBot) -> None:
    widget = control(qtbot)
    widget.set_start(datetime(2026, 12, 1, 10, 0, tzinfo=JST))
    assert widget.until.date() == QDate(2027, 3, 1)
    click(qtbot, widget.enabled)
    choose(widget, "custom")
    assert widget.custom.isEnabled()
    widget.custom.setText("FREQ=SOMETIMES")
    assert "FREQ=SOMETIMES" in widget.preview.text()
    assert "b71c1c" in widget.preview.styleSheet()


def test_rules_offered_follow_the_first_occurrence() -> None:
    tuesday = datetime(2026, 12, 15, 10, 0, tzinfo=JST)  # the third Tuesday
    assert rule_for("weekly", tuesday) == "FREQ=WEEKLY;BYDAY=TU"
    assert rule_for("biweekly", tuesday) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert rule_for("monthly", tuesday) == "FREQ=MONTHLY;BYMONTHDAY=15"
    assert rule_for("monthly_nth", tuesday) == "FREQ=MONTHLY;BYDAY=+3TU"
    assert rule_for("custom", tuesday, " FREQ=DAILY;COUNT=2 ") == "FREQ=DAILY;COUNT=2"


def test_the_composer_queues_a_series_across_the_year_end(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    composer = window.composer
    assert composer is not None
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "休日診療のお知らせ")
    composer.picker.set_chosen(datetime(2026, 12, 16, 10, 0, tzinfo=JST))
    wait_checked(qtbot, composer)
    click(qtbot, composer.repeat.enabled)
    composer.repeat.until.setDate(QDate(2027, 1, 6))
    assert composer.repeat.preview_lines()[0] == "4 回投稿します（FREQ=WEEKLY;BYDAY=WE）"
    with qtbot.waitSignal(composer.submitted, timeout=10_000):
        click(qtbot, composer.schedule_button)
    assert "繰り返し 4 回分を予約しました" in composer.result_label.text()
    entries = ctx.store.list_entries()
    times = [ctx.policy.localize(e.scheduled_at) for e in entries]
    assert times == [
        datetime(2026, 12, 16, 10, 0, tzinfo=JST),
        datetime(2026, 12, 23, 10, 0, tzinfo=JST),
        datetime(2027, 1, 4, 10, 0, tzinfo=JST),
        datetime(2027, 1, 6, 10, 0, tzinfo=JST),
    ]
    series = {ctx.store.get_item(e.item_id).series_id for e in entries}  # type: ignore[union-attr]
    assert len(series) == 1
    assert None not in series
    assert not composer.repeat.enabled.isChecked()  # cleared for the next post
    qtbot.waitUntil(lambda: not window.runner.busy)


def test_the_item_dialog_cancels_this_one_or_this_and_later(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = ComposeRequest(
        text="毎週のお知らせ",
        channels=("line",),
        at=datetime(2026, 12, 2, 10, 0, tzinfo=JST),
    )
    ids = repeats.submit(ctx, request, "FREQ=WEEKLY;COUNT=4").item_ids
    single = compose.submit(ctx, dataclasses.replace(request, text="一回だけ")).item_id
    monkeypatch.setattr(prompts, "confirm", lambda *_: True)

    lone = window.open_item(single)
    assert lone is not None
    assert not lone.cancel_series_button.isVisible()
    lone.reject()

    dialog = window.open_item(ids[1])
    assert dialog is not None
    assert dialog.cancel_series_button.isVisible()
    with qtbot.waitSignal(dialog.itemCancelled):
        click(qtbot, dialog.cancel_series_button)
    states = {i: compose.get_item(ctx, i).entries[0].state for i in ids}
    assert states == {
        ids[0]: EntryState.SCHEDULED,
        ids[1]: EntryState.CANCELLED,
        ids[2]: EntryState.CANCELLED,
        ids[3]: EntryState.CANCELLED,
    }

    first = window.open_item(ids[0])
    assert first is not None
    with qtbot.waitSignal(first.itemCancelled):
        click(qtbot, first.cancel_button)  # this one only
    assert compose.get_item(ctx, ids[0]).entries[0].state == EntryState.CANCELLED
    qtbot.waitUntil(lambda: not window.runner.busy)
