"""A login that is not registered sees who the chiefs are and a request to copy; a chief at
that PC registers it on the spot and the window opens as that user."""

from __future__ import annotations

import socket
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.ui.unregistered_panel import UnregisteredPanel
from tests.ui.conftest import CHIEF_PASSWORD, make_context
from tests.ui.setup_steps import built_window, start


def test_a_chief_registers_an_unknown_login_and_the_window_opens_as_it(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    ctx = make_context(database_file, clock, login="suzuki")
    flow = start(qtbot, ctx)
    try:
        window = built_window(qtbot, flow)
        assert flow.wizard is None  # set up already: no wizard
        assert window.user is None
        assert window.composer is None
        panel = window.findChild(UnregisteredPanel, "unregisteredPanel")
        assert panel is not None
        qtbot.waitUntil(lambda: panel.request.toPlainText() != "", timeout=10_000)
        assert panel.chiefs.text() == "課長：秘書広報課長"
        request = panel.request.toPlainText()
        for part in ("ログイン名：suzuki", f"PC名：{socket.gethostname()}", "2026年11月25日（水）"):
            assert part in request
        panel.copy.click()
        assert QApplication.clipboard().text() == request

        panel.fill("chief", "wrong-password", "鈴木 次郎", ["line", "x-city"])
        panel.register_button.click()
        qtbot.waitUntil(lambda: not panel.error.isHidden(), timeout=10_000)
        assert "パスワードが違います" in panel.error.text()
        assert ctx.store.get_user_by_login("suzuki") is None
        assert flow.window is window

        panel.fill("chief", CHIEF_PASSWORD, "鈴木 次郎", ["line", "x-city"])
        panel.register_button.click()
        qtbot.waitUntil(lambda: flow.window is not window, timeout=10_000)
        opened = built_window(qtbot, flow)
        assert opened.user is not None
        assert (opened.user.login, opened.user.role) == ("suzuki", "staff")
        assert opened.user.display_name == "鈴木 次郎"
        assert sorted(opened.user.channels) == ["line", "x-city"]
        assert opened.composer is not None
        assert opened.isVisible()
    finally:
        flow.shut_down()
        ctx.close()


def test_without_a_chief_trusted_here_the_panel_only_offers_the_request(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    ctx = make_context(database_file, clock, login="suzuki")
    ctx.paths.trust_root_candidates[0].unlink()  # a PC not given the root: no chief acts here
    from kodaira_desktop.ui.main_window import MainWindow
    from kodaira_desktop.ui.workers import TaskRunner

    del MainWindow
    runner = TaskRunner()
    panel = UnregisteredPanel(ctx, runner)
    qtbot.addWidget(panel)
    try:
        qtbot.waitUntil(lambda: panel.request.toPlainText() != "", timeout=10_000)
        assert panel.chiefs.text() == "課長：秘書広報課長"
        assert not panel.here.isEnabled()
        assert panel.chief_box.count() == 0
    finally:
        runner.wait()
        ctx.close()


def test_registering_on_the_spot_on_either_database(
    qtbot: QtBot, database_url: str, clock: FakeClock
) -> None:
    from kodaira_desktop.services import accounts
    from tests.ui.setup_steps import CHIEF_DISPLAY, CHIEF_LOGIN, NEW_CHIEF_PASSWORD, new_context

    first = new_context(database=database_url, clock=clock)
    accounts.initialize(first, CHIEF_LOGIN, NEW_CHIEF_PASSWORD, CHIEF_DISPLAY)
    first.close()
    ctx = new_context("yamada", database=database_url, clock=clock)
    flow = start(qtbot, ctx)
    try:
        window = built_window(qtbot, flow)
        panel = window.findChild(UnregisteredPanel, "unregisteredPanel")
        assert panel is not None
        qtbot.waitUntil(lambda: panel.here.isEnabled(), timeout=10_000)
        assert panel.chiefs.text() == f"課長：{CHIEF_DISPLAY}"
        panel.fill(CHIEF_LOGIN, NEW_CHIEF_PASSWORD, "山田 三郎", ["facebook"])
        panel.password.returnPressed.emit()  # Enter in the password field registers
        qtbot.waitUntil(lambda: flow.window is not window, timeout=10_000)
        opened = built_window(qtbot, flow)
        assert opened.user is not None
        assert (opened.user.login, opened.user.channels) == ("yamada", frozenset({"facebook"}))
        added = [r for r in ctx.store.iter_audit() if r.action == "user.added"]
        assert (added[-1].target, added[-1].actor) == ("yamada", CHIEF_LOGIN)
    finally:
        flow.shut_down()
        ctx.close()
