"""Shared set-up for the emergency-override, audit and channel GUI tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.chief_prompt import ChiefActionDialog
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import JST, make_context
from tests.ui.helpers import click, input_text

#: Saturday 28 November 2026, 07:00 in Tokyo: outside the window, so an emergency.
SATURDAY_EARLY = datetime(2026, 11, 28, 7, 0, tzinfo=JST)
CHIEF = "chief"


def request_emergency(ctx: AppContext, text: str = "【緊急】避難指示が発令されました。") -> int:
    """tanaka asks for an emergency post on X and LINE; returns the item id."""
    submitted = compose.submit(
        ctx,
        ComposeRequest(
            text=text,
            channels=("x-city", "line"),
            at=SATURDAY_EARLY,
            emergency_reason="大雨による避難指示の周知",
        ),
    )
    assert submitted.state == EntryState.AWAITING_APPROVAL
    return submitted.item_id


def states(ctx: AppContext, item_id: int) -> set[EntryState]:
    return {e.state for e in compose.get_item(ctx, item_id).entries}


def entries(ctx: AppContext, item_id: int) -> list[Entry]:
    return list(compose.get_item(ctx, item_id).entries)


@pytest.fixture
def chief_ctx(database_file: Path, clock: FakeClock) -> Iterator[AppContext]:
    context = make_context(database_file, clock, login=CHIEF)
    yield context
    QThreadPool.globalInstance().waitForDone(10_000)
    context.close()


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def fill_and_press(
    qtbot: QtBot, dialog: ChiefActionDialog, label: str, password: str, reason: str = ""
) -> None:
    """Type the reason and password as a person would, press the action's button."""
    if reason:
        input_text(qtbot, dialog.reason, reason)
    qtbot.keyClicks(dialog.password, password)
    button = dialog.action_buttons[label]
    assert button.isEnabled()
    click(qtbot, button)
