"""Keyboard and screen readers (the spirit of JIS X 8341): Tab reaches every control of each
tab and main dialog, each such control has a name a screen reader announces (an accessible
name, its own text, or a label whose buddy it is), and the dialogs' forms are walked top to
bottom, left to right. (The composer's own order: tests/ui/test_keyboard.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.chief_prompt import ChiefAction, ChiefActionDialog
from kodaira_desktop.ui.confirm_dialog import OnTheSpotDialog
from kodaira_desktop.ui.emergency_dialog import EmergencyDialog
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.unknown_dialog import UnknownOutcomeDialog
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.a11y import focus_chain, out_of_reading_order, spoken_name, unnamed
from tests.ui.conftest import JST, make_context
from tests.ui.emergency import request_emergency, runner
from tests.ui.test_unknown_dialog import unknown_entry

__all__ = ["runner"]


@pytest.fixture
def chief_window(qtbot: QtBot, database_file: Path, clock: FakeClock) -> Iterator[MainWindow]:
    """The chief sees every tab (課長の確認, チャンネル, 職員 …)."""
    ctx = make_context(database_file, clock, login="chief")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.runner.busy)
    yield window
    window.shut_down()
    ctx.close()


def check_every_tab(window: MainWindow) -> dict[str, int]:
    """Each tab's controls reached by Tab, all named; returns how many per tab."""
    reached = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        title = window.tabs.tabText(index)
        assert unnamed(page) == [], f"tab {title}: controls without a name"
        reached[title] = len(focus_chain(page))
    return reached


def test_every_control_of_the_staff_tabs_is_reached_and_named(window: MainWindow) -> None:
    reached = check_every_tab(window)
    assert reached["投稿を作成"] >= 15  # text, channels, category, media, schedule …
    assert reached["予約カレンダー"] >= 2  # the month and the chosen day's list
    assert reached["予約一覧"] >= 4  # filters and the table
    assert all(count >= 1 for count in reached.values()), reached


def test_every_control_of_the_chief_tabs_is_reached_and_named(chief_window: MainWindow) -> None:
    reached = check_every_tab(chief_window)
    assert {"課長の確認", "チャンネル", "管理", "監査ログ"} <= set(reached)
    assert all(count >= 1 for count in reached.values()), reached


def test_the_menus_are_reachable_by_keyboard(window: MainWindow) -> None:
    """Every menu has an Alt shortcut or is reached by F10/Alt from the menu bar; every
    action has text."""
    for action in window.menuBar().actions():
        menu = action.menu()
        assert action.text()
        assert menu is not None
        assert all(a.text() for a in menu.actions() if not a.isSeparator())


def check_dialog(qtbot: QtBot, dialog: QDialog) -> list[QWidget]:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert unnamed(dialog) == [], f"{type(dialog).__name__}: controls without a name"
    chain = focus_chain(dialog)
    assert chain, "nothing in the dialog takes the keyboard"
    return chain


def form_part(chain: list[QWidget], dialog: QDialog) -> list[QWidget]:
    """The controls above the dialog's button row (which Qt orders by platform convention)."""
    from PySide6.QtWidgets import QDialogButtonBox

    return [w for w in chain if not isinstance(w.parentWidget(), QDialogButtonBox)]


def test_the_emergency_dialog(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = EmergencyDialog(ctx.policy, datetime(2026, 11, 25, 19, 0, tzinfo=JST))
    chain = check_dialog(qtbot, dialog)
    assert out_of_reading_order(form_part(chain, dialog), dialog) == []


def test_the_chief_password_dialog(qtbot: QtBot, ctx: AppContext, runner: TaskRunner) -> None:
    dialog = ChiefActionDialog(
        runner,
        "チャンネルの停止",
        "x-city を停止します。",
        [ChiefAction("停止する", lambda _chief, _password, _reason: "done")],
        reason_hint="停止の理由",
    )
    chain = check_dialog(qtbot, dialog)
    assert out_of_reading_order(form_part(chain, dialog), dialog) == []
    names = [spoken_name(w) for w in chain]
    assert any("パスワード" in name for name in names), names


def test_the_on_the_spot_approval_dialog(qtbot: QtBot, ctx: AppContext, runner: TaskRunner) -> None:
    dialog = OnTheSpotDialog(ctx, runner, request_emergency(ctx))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.chosen_chief() is not None)
    check_dialog(qtbot, dialog)


def test_the_unknown_outcome_dialog(qtbot: QtBot, ctx: AppContext, runner: TaskRunner) -> None:
    dialog = UnknownOutcomeDialog(ctx, runner, unknown_entry(ctx))
    chain = check_dialog(qtbot, dialog)
    assert dialog.url in chain


def test_the_item_dialog(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    item_id = compose.submit(
        ctx,
        ComposeRequest(
            text="市民まつりのお知らせ",
            channels=("x-city", "line"),
            at=datetime(2026, 11, 26, 10, 0, tzinfo=JST),
        ),
    ).item_id
    dialog = window.open_item(item_id)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert unnamed(dialog) == []
    assert len(focus_chain(dialog)) >= 3


def test_the_csv_import_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.ui.test_csv_import import PLAN, open_dialog

    plan = tmp_path / "plan.csv"
    plan.write_bytes(PLAN.encode("cp932"))
    dialog = open_dialog(qtbot, window, plan, monkeypatch)
    assert unnamed(dialog) == []
    assert focus_chain(dialog)
    dialog.reject()


@pytest.mark.parametrize("title", ["予約一覧", "監査ログ"])
def test_the_filters_and_table_are_walked_in_reading_order(
    chief_window: MainWindow, title: str
) -> None:
    tabs = chief_window.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    tabs.setCurrentIndex(index)
    page = tabs.widget(index)
    assert out_of_reading_order(focus_chain(page), page) == []


def test_each_admin_section_is_reached_and_named(chief_window: MainWindow, qtbot: QtBot) -> None:
    from tests.ui.admin_steps import admin_tab

    admin = admin_tab(chief_window)
    chief_window.tabs.setCurrentWidget(admin)
    reached = {}
    for index in range(admin.sections.count()):
        title = admin.sections.tabText(index)
        view = admin.open_section(title)
        qtbot.waitUntil(lambda: not chief_window.runner.busy)
        assert unnamed(view) == [], f"管理 → {title}: controls without a name"
        reached[title] = len(focus_chain(view))
    assert set(reached) == {"職員", "認証情報", "配信PC"}, reached
    assert all(count >= 1 for count in reached.values()), reached


def test_the_unregistered_screen(qtbot: QtBot, database_file: Path, clock: FakeClock) -> None:
    ctx = make_context(database_file, clock, login="suzuki")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: not window.runner.busy)
        panel = window.tabs.widget(0)
        assert unnamed(panel) == []
        names = [spoken_name(w) for w in focus_chain(panel)]
        assert any("コピー" in name for name in names), names
    finally:
        window.shut_down()
        ctx.close()


def test_every_page_of_the_first_run_wizard(qtbot: QtBot, clock: FakeClock) -> None:
    from tests.ui.setup_steps import new_context, press_next, start, wizard_of

    pc = new_context(clock=clock)
    flow = start(qtbot, pc)
    wizard = wizard_of(qtbot, flow)
    try:
        seen = []
        for step in range(2):  # この PC → the first chief
            page = wizard.currentPage()
            assert unnamed(page) == [], f"{page.title()}: controls without a name"
            seen.append(len(focus_chain(page)))
            if step == 0:
                assert press_next(qtbot, wizard)
        assert all(count >= 1 for count in seen), seen
        wizard.join_page.show()  # the second PC's page, its controls as the user meets them
        assert unnamed(wizard.join_page) == []
    finally:
        wizard.reject()
        flow.shut_down()
        pc.close()
