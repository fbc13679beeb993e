"""The dispatcher inside the GUI: it publishes what is due against the service fakes, tells
the views, shows upload progress and errors, and stops cleanly."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock, ShiftedClock
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatcher import Dispatcher, DispatchReport
from kodaira_desktop.ui.app import run_gui
from kodaira_desktop.ui.dispatch_worker import DispatchWorker, gui_dispatch_enabled
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.queue_model import COLUMN_STATE
from tests.fakes import FakeServices
from tests.samples import mp4_bytes
from tests.ui.conftest import JST, make_context

S = EntryState


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        yield fakes


@pytest.fixture
def live_ctx(
    database_file: Path, services: FakeServices, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppContext]:
    """The GUI's dispatcher switched on, a clock that runs (run_forever waits in real time),
    credentials for every channel and the fakes as the services."""
    monkeypatch.setenv("KODAIRA_GUI_DISPATCH", "1")
    clock = ShiftedClock(datetime(2026, 11, 25, 10, 0, tzinfo=JST))
    context = AppContext.create(database=f"sqlite:///{database_file}", login="tanaka", clock=clock)
    for key, fields in services.credentials.items():
        context.secrets.set_channel_credentials(key, fields)
    context.__dict__["endpoints"] = services.endpoints
    yield context
    QThreadPool.globalInstance().waitForDone(10_000)
    context.close()


def dispatch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kodaira-dispatch" and t.is_alive()]


def states(ctx: AppContext, item_id: int) -> set[EntryState]:
    return {e.state for e in compose.get_item(ctx, item_id).entries}


def test_the_switch() -> None:
    assert gui_dispatch_enabled({})
    assert gui_dispatch_enabled({"KODAIRA_GUI_DISPATCH": "1"})
    for off in ("0", "false", "OFF", " no "):
        assert not gui_dispatch_enabled({"KODAIRA_GUI_DISPATCH": off})


def test_the_machine_wide_config_can_keep_a_pcs_window_from_dispatching(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-config"
    site.mkdir(exist_ok=True)
    (site / "config.toml").write_text("dispatch = false\n", encoding="utf-8")
    monkeypatch.delenv("KODAIRA_GUI_DISPATCH", raising=False)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert not DispatchWorker(AppContext.create(database=url, login="tanaka")).enabled
    monkeypatch.setenv("KODAIRA_GUI_DISPATCH", "1")  # the environment wins over the file
    assert DispatchWorker(AppContext.create(database=url, login="tanaka")).enabled


def test_the_worker_publishes_what_is_due_then_stops(
    qtbot: QtBot, live_ctx: AppContext, services: FakeServices
) -> None:
    item_id = compose.submit(
        live_ctx, ComposeRequest(text="本日のお知らせ", channels=("line", "x-city"))
    ).item_id  # no time: the next allowed instant, which is now
    worker = DispatchWorker(live_ctx)
    reports: list[DispatchReport] = []
    worker.entriesChanged.connect(reports.append)
    assert worker.start()
    assert not worker.start()  # once
    qtbot.waitUntil(lambda: bool(reports), timeout=15_000)
    qtbot.waitUntil(lambda: states(live_ctx, item_id) == {S.PUBLISHED}, timeout=15_000)
    published = sorted(entry for r in reports for entry in r.published)
    assert published == sorted(e.id for e in compose.get_item(live_ctx, item_id).entries)
    assert len(services.line.broadcasts) == 1
    assert worker.stop()
    assert not worker.running
    assert dispatch_threads() == []


def test_the_window_runs_it_and_refreshes_without_polling(
    qtbot: QtBot, live_ctx: AppContext, tmp_path: Path
) -> None:
    video = tmp_path / "kodaira.mp4"
    video.write_bytes(mp4_bytes(payload_size=600_000))
    item_id = compose.submit(
        live_ctx,
        ComposeRequest(
            text="小平市の紹介動画です。",
            channels=("youtube",),
            title="小平市の紹介",
            media=(video,),
        ),
    ).item_id
    window = MainWindow(live_ctx)
    qtbot.addWidget(window)
    progress: list[tuple[int, int, int]] = []
    window.dispatch.uploadProgress.connect(lambda *args: progress.append(args))
    with qtbot.waitSignal(window.dispatch.entriesChanged, timeout=20_000):
        window.show()
    assert len(dispatch_threads()) == 1
    qtbot.waitUntil(lambda: states(live_ctx, item_id) == {S.PUBLISHED}, timeout=10_000)
    qtbot.waitUntil(
        lambda: window.table.model.data(window.table.model.index(0, COLUMN_STATE)) == "✓ 投稿済み"
    )
    qtbot.waitUntil(lambda: window.status.dispatcher_label.text() == "送信処理：稼働中")
    assert progress
    entry_id, done, total = progress[-1]
    assert entry_id == compose.get_item(live_ctx, item_id).entries[0].id
    assert done == total == video.stat().st_size
    assert window.status.upload_bar.isHidden()
    window.close()
    assert not window.dispatch.running
    assert dispatch_threads() == []


def test_an_error_is_shown_and_the_worker_still_stops(
    qtbot: QtBot, live_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_self: Dispatcher) -> DispatchReport:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(Dispatcher, "run_once", broken)
    window = MainWindow(live_ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.dispatch.errorOccurred, timeout=10_000) as error:
        window.show()
    assert "database is locked" in error.args[0]
    assert "再開します" in error.args[0]
    assert not window.status.dispatch_error_label.isHidden()
    assert "database is locked" in window.status.dispatch_error_label.toolTip()
    assert window.dispatch.stop(timeout=5)  # it waits for the retry on the stop event
    assert dispatch_threads() == []


def test_switched_off_it_never_starts(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.dispatch.enabled
    assert not window.dispatch.running
    assert dispatch_threads() == []


def test_a_smoke_run_with_the_dispatcher_on_does_not_hang(
    qapp: QApplication,
    database_file: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KODAIRA_GUI_DISPATCH", "1")
    context = make_context(database_file, clock)
    try:
        assert run_gui(context, smoke=True) == 0
        assert dispatch_threads() == []
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        context.close()
