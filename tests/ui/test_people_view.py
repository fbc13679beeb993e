"""「職員」: the chief deactivates a user in the window (人事異動), confirmed by password."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui.people_view import PeopleView
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import CHIEF_PASSWORD, make_context
from tests.ui.emergency import CHIEF, chief_ctx, fill_and_press, runner

__all__ = ["chief_ctx", "runner"]


def open_view(qtbot: QtBot, chief_ctx: AppContext, runner: TaskRunner) -> PeopleView:
    view = PeopleView(chief_ctx, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()
    return view


def test_the_chief_deactivates_a_staff_member(
    qtbot: QtBot,
    chief_ctx: AppContext,
    runner: TaskRunner,
    database_file: Path,
    clock: FakeClock,
) -> None:
    view = open_view(qtbot, chief_ctx, runner)
    assert view.status_of("sato") == "有効"
    view.select("sato")
    assert view.deactivate_button.isEnabled()

    dialog = view.open_deactivate()
    assert dialog is not None
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        fill_and_press(qtbot, dialog, "無効にする", "wrong-password")
    assert view.status_of("sato") == "有効"
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        fill_and_press(qtbot, dialog, "無効にする", CHIEF_PASSWORD)
    assert view.status_of("sato") == "無効"
    assert not view.deactivate_button.isEnabled()

    sato = make_context(database_file, clock, login="sato")
    try:
        with pytest.raises(ServiceError, match="not a registered user"):
            compose.submit(sato, ComposeRequest(text="お知らせ", channels=("line",)))
    finally:
        sato.close()


def test_the_last_chief_cannot_deactivate_themselves(
    qtbot: QtBot, chief_ctx: AppContext, runner: TaskRunner
) -> None:
    view = open_view(qtbot, chief_ctx, runner)
    view.select(CHIEF)
    dialog = view.open_deactivate()
    assert dialog is not None
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        fill_and_press(qtbot, dialog, "無効にする", CHIEF_PASSWORD)
    assert "最後の課長のため無効にできません" in dialog.message.text()
    assert view.status_of(CHIEF) == "有効"
