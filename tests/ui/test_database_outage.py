"""The window and its dispatcher survive a PostgreSQL restart: the status bar says the shared
server is unreachable and clears by itself; what was due is published once it is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import ShiftedClock
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import accounts, compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.outage import DATABASE_UNREACHABLE
from kodaira_desktop.ui.main_window import MainWindow
from tests.fakes import FakeServices
from tests.support.postgres import ThrowawayCluster, find_bindir
from tests.ui.conftest import JST

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def cluster() -> Iterator[ThrowawayCluster]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries")
    own = ThrowawayCluster(bindir, durable=True)
    try:
        yield own
    finally:
        own.stop()


def test_the_window_rides_out_a_database_restart(
    qtbot: QtBot, cluster: ThrowawayCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = cluster.start()
    url = server.url(server.create_database())
    clock = ShiftedClock(datetime(2026, 11, 25, 10, 0, tzinfo=JST))
    chief = AppContext.create(database=url, login="kacho", clock=clock)
    accounts.initialize(chief, "kacho", "kacho-password-1", "課長")
    accounts.add_user(
        chief, "tanaka", "staff", "line", display_name="田中",
        chief_password="kacho-password-1", new_password=None,
    )  # fmt: skip
    chief.close()
    monkeypatch.setenv("KODAIRA_GUI_DISPATCH", "1")
    with FakeServices() as services:
        ctx = AppContext.create(database=url, login="tanaka", clock=clock)
        ctx.secrets.set_channel_credentials("line", services.credentials["line"])
        ctx.__dict__["endpoints"] = services.endpoints
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.dispatch.passFinished, timeout=15_000):
            window.show()
        status = window.status
        with qtbot.waitSignal(status.refreshed):
            status.refresh()
        assert status.dispatcher_label.text() == "送信処理：稼働中"
        assert status.connection_label.isHidden()
        item_id = compose.submit(
            ctx,
            ComposeRequest(
                text="停電のお知らせ", channels=("line",), at=clock.now() + timedelta(seconds=4)
            ),
        ).item_id
        cluster.crash()
        status.refresh()
        qtbot.waitUntil(lambda: not status.connection_label.isHidden(), timeout=15_000)
        assert status.connection_label.text() == DATABASE_UNREACHABLE
        time.sleep(5)  # the entry falls due while the server is down
        cluster.start_again()
        # Nobody touches anything: the label clears and the entry goes out.
        qtbot.waitUntil(lambda: status.connection_label.isHidden(), timeout=30_000)
        qtbot.waitUntil(
            lambda: compose.get_item(ctx, item_id).entries[0].state is EntryState.PUBLISHED,
            timeout=30_000,
        )
        assert len(services.line.broadcasts) == 1
        assert window.isVisible()
        assert window.dispatch.running
        window.close()
        QThreadPool.globalInstance().waitForDone(10_000)
        ctx.close()
