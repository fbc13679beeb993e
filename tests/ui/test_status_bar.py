"""The status bar: where the queue is, who acts, whether a dispatcher is alive, the alarm."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.status_bar import QueueStatusBar, database_place, redacted_url
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import JST, make_context


def refresh(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.status.refreshed):
        window.status.refresh()


def test_local_database_staff_and_no_dispatcher(window: MainWindow) -> None:
    status = window.status
    assert status.database_label.text() == "データベース：このPC"
    assert status.user_label.text() == "利用者：田中 花子（担当者）"
    assert status.dispatcher_label.text() == "送信処理：停止中"
    assert not status.alarm_shown


def test_a_live_dispatcher_is_shown(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    ctx.store.beat("PC-KOHO-01", "tanaka", os.getpid(), "test")
    refresh(qtbot, window)
    assert window.status.dispatcher_label.text() == "送信処理：稼働中"
    assert "PC-KOHO-01" in window.status.dispatcher_label.toolTip()


def test_an_overdue_entry_raises_the_alarm(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, clock: FakeClock
) -> None:
    request = ComposeRequest(
        text="9時のお知らせ", channels=("x-city",), at=datetime(2026, 11, 25, 9, 0, tzinfo=JST)
    )
    compose.submit(ctx, request)
    refresh(qtbot, window)
    assert not window.status.alarm_shown
    clock.advance(6 * 60)  # nobody sent it within five minutes
    refresh(qtbot, window)
    assert window.status.alarm_shown
    assert "1 件" in window.status.alarm_label.text()
    assert "2026年11月25日（水）09:00" in window.status.alarm_label.toolTip()


def test_the_chief_and_a_shared_server(qtbot: QtBot, database_file: Path, clock: FakeClock) -> None:
    ctx = make_context(database_file, clock, login="chief")
    try:
        status = QueueStatusBar(ctx, ctx.store.get_user_by_login("chief"), TaskRunner())
        qtbot.addWidget(status)
        assert status.user_label.text() == "利用者：秘書広報課長（秘書広報課長）"
    finally:
        ctx.close()
    shared = AppContext.create(
        database="postgresql+psycopg://koho:secret@db.kodaira.local/queue", login="chief"
    )
    assert database_place(shared) == "共有サーバー"
    assert redacted_url(shared.database_url) == "postgresql+psycopg://koho@db.kodaira.local/queue"


def test_an_unregistered_login_sees_why_it_cannot_compose(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    ctx = make_context(database_file, clock, login="yamada")
    try:
        main = MainWindow(ctx)
        qtbot.addWidget(main)
        assert main.composer is None
        assert "未登録" in main.status.user_label.text()
        assert main.shows_current_month()
    finally:
        main.runner.wait()
        ctx.close()


def test_a_local_policy_that_differs_is_shown_as_a_preview(
    qtbot: QtBot, database_file: Path, clock: FakeClock, tmp_path: Path
) -> None:
    from kodaira_desktop.services.context import AppContext as Context

    wide = tmp_path / "wide.toml"
    wide.write_text('[policy]\nstart = "00:00"\nend = "23:59"\n', encoding="utf-8")
    ctx = Context.create(
        database=f"sqlite:///{database_file}", login="tanaka", clock=clock, policy_file=str(wide)
    )
    try:
        status = QueueStatusBar(ctx, ctx.store.get_user_by_login("tanaka"), TaskRunner())
        qtbot.addWidget(status)
        with qtbot.waitSignal(status.refreshed, timeout=10_000):
            status.refresh()
        assert not status.policy_label.isHidden()
        assert "preview only" in status.policy_label.toolTip()
        assert "differs" in status.policy_label.toolTip()
    finally:
        ctx.close()
