"""The whole way a new office takes, in the window alone: the first-run wizard, the chief's
credentials (checked live) and a staff member in 管理, then that staff member's first post from
the composer — published by the dispatcher with the credentials the chief typed. On SQLite
(この PC) and on a shared PostgreSQL server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services.dispatcher import Dispatcher
from tests.fakes.services import FakeServices
from tests.ui.admin_steps import add_staff, enter_credentials
from tests.ui.conftest import WEDNESDAY_MORNING
from tests.ui.helpers import click, tick_channels, type_text
from tests.ui.setup_steps import (
    NEW_CHIEF_PASSWORD,
    SetupRun,
    built_window,
    new_context,
    run_wizard_postgres,
    run_wizard_sqlite,
    start,
)

FIRST_POST = "小平市公式アカウントを開設しました。"


@pytest.mark.parametrize("where", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_new_office_reaches_its_first_post_in_the_window_alone(
    qtbot: QtBot, where: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(WEDNESDAY_MORNING)
    with FakeServices() as fakes:
        for name, value in fakes.env().items():  # IT's service URLs: here the local fakes
            monkeypatch.setenv(name, value)
        pc = new_context(clock=clock)
        if where == "postgres":
            url, server_password = request.getfixturevalue("empty_postgres")
            setup: SetupRun = run_wizard_postgres(qtbot, pc, url, server_password)
        else:
            setup = run_wizard_sqlite(qtbot, pc)
        chief_window = setup.window
        try:
            assert chief_window.user is not None
            assert chief_window.user.role == "chief"
            view = enter_credentials(
                qtbot, chief_window, "x-city", fakes.credentials["x-city"], NEW_CHIEF_PASSWORD
            )
            assert "@kodaira_koho" in view.cell("x-city", 2)  # the account it belongs to
            add_staff(
                qtbot, chief_window, "suzuki", ["x-city"], NEW_CHIEF_PASSWORD, display_name="鈴木"
            )
        finally:
            setup.flow.shut_down()
        pc.close()

        # The staff member starts the app: no wizard (this PC is set up), the composer.
        staff_ctx = new_context("suzuki", clock=clock)
        flow = start(qtbot, staff_ctx)
        try:
            window = built_window(qtbot, flow)
            composer = window.composer
            assert composer is not None
            assert window.user is not None
            assert window.user.channels == {"x-city"}
            tick_channels(qtbot, composer, "x-city")
            type_text(qtbot, composer, FIRST_POST)
            assert composer.schedule_button.isEnabled(), composer.schedule_reason.text()
            with qtbot.waitSignal(composer.submitted, timeout=15_000):
                click(qtbot, composer.schedule_button)
            qtbot.waitUntil(lambda: not window.runner.busy, timeout=15_000)
            (entry,) = staff_ctx.store.list_entries()
            assert (entry.channel_key, entry.state) == ("x-city", EntryState.SCHEDULED)
            assert entry.text == FIRST_POST
        finally:
            flow.shut_down()

        clock.set(entry.scheduled_at + timedelta(minutes=1))
        report = Dispatcher(staff_ctx).run_once()
        assert report.published == [entry.id], report.summary()
        assert [tweet.text for tweet in fakes.x.tweets] == [FIRST_POST]
        staff_ctx.close()
