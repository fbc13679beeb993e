"""Driving the first-run wizard and the unregistered-login panel from tests (and walks that
chain them with the other screens): each function does what a user would, page by page, and
returns what the user then sees."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import Clock
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.setup_flow import StartUp
from kodaira_desktop.ui.setup_wizard import PAGE_LOCATION, SetupWizard

CHIEF_LOGIN = "kacho"
CHIEF_DISPLAY = "秘書広報課長 小平 太郎"
NEW_CHIEF_PASSWORD = "Kodaira-2026!"
TIMEOUT_MS = 20_000


class SetupRun(NamedTuple):
    """What a wizard run leaves: the start-up flow (call ``flow.shut_down()`` at the end: it
    owns the windows and the contexts it opened) and the main window it opened."""

    flow: StartUp
    window: MainWindow


def new_context(
    login: str = CHIEF_LOGIN,
    *,
    database: str | None = None,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
) -> AppContext:
    """A context as the app builds it at start-up (options, environment, config files)."""
    return AppContext.create(
        database=database, login=login, environ=environ or dict(os.environ), clock=clock
    )


def start(qtbot: QtBot, ctx: AppContext) -> StartUp:
    flow = StartUp(ctx)
    flow.start()
    return flow


def wizard_of(qtbot: QtBot, flow: StartUp) -> SetupWizard:
    qtbot.waitUntil(lambda: flow.wizard is not None and flow.wizard.isVisible(), timeout=TIMEOUT_MS)
    assert flow.wizard is not None
    return flow.wizard


def press_next(qtbot: QtBot, wizard: SetupWizard) -> bool:
    """次へ (or 完了); True when the wizard moved on, False when the page shows a refusal."""
    page = wizard.currentPage()
    before = wizard.currentId()
    button = QWizard.WizardButton.NextButton
    if wizard.currentId() == wizard.pageIds()[-1] or not wizard.button(button).isVisible():
        button = QWizard.WizardButton.FinishButton
    wizard.button(button).click()
    qtbot.waitUntil(
        lambda: (
            wizard.currentId() != before
            or not wizard.isVisible()
            or (not getattr(page, "busy", False) and not wizard.runner.busy)
        ),
        timeout=TIMEOUT_MS,
    )
    return wizard.currentId() != before or not wizard.isVisible()


def error_text(wizard: SetupWizard) -> str:
    error = getattr(wizard.currentPage(), "error", None)
    return error.text() if error is not None and not error.isHidden() else ""


def location(qtbot: QtBot, wizard: SetupWizard, url: str | None, password: str = "") -> bool:
    """この PC (``url`` None) or 共有サーバー ``url``; 次へ."""
    assert wizard.currentId() == PAGE_LOCATION
    wizard.location_page.fill(url=url, password=password)
    return press_next(qtbot, wizard)


def first_chief(
    qtbot: QtBot,
    wizard: SetupWizard,
    login: str = CHIEF_LOGIN,
    display: str = CHIEF_DISPLAY,
    password: str = NEW_CHIEF_PASSWORD,
    again: str | None = None,
) -> bool:
    wizard.chief_page.fill(login, display, password, again)
    return press_next(qtbot, wizard)


def finish(qtbot: QtBot, flow: StartUp, wizard: SetupWizard) -> MainWindow:
    """完了 on the last page: the main window opens as the user, its first screen built."""
    assert press_next(qtbot, wizard)
    return built_window(qtbot, flow)


def built_window(qtbot: QtBot, flow: StartUp) -> MainWindow:
    qtbot.waitUntil(
        lambda: flow.window is not None and flow.window.is_built and flow.window.isVisible(),
        timeout=TIMEOUT_MS,
    )
    window = flow.window
    assert window is not None  # the flow owns it: StartUp.shut_down() hides it
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=TIMEOUT_MS)
    return window


def run_wizard_sqlite(
    qtbot: QtBot,
    ctx: AppContext,
    *,
    login: str = CHIEF_LOGIN,
    display: str = CHIEF_DISPLAY,
    password: str = NEW_CHIEF_PASSWORD,
) -> SetupRun:
    """A new PC: この PC, the first chief, 完了 → the window as that chief."""
    flow = start(qtbot, ctx)
    wizard = wizard_of(qtbot, flow)
    assert location(qtbot, wizard, None), error_text(wizard)
    assert first_chief(qtbot, wizard, login, display, password), error_text(wizard)
    return SetupRun(flow, finish(qtbot, flow, wizard))


def run_wizard_postgres(
    qtbot: QtBot,
    ctx: AppContext,
    url: str,
    server_password: str,
    *,
    login: str = CHIEF_LOGIN,
    display: str = CHIEF_DISPLAY,
    password: str = NEW_CHIEF_PASSWORD,
) -> SetupRun:
    """A new office on a shared server (``url`` without the password, typed separately)."""
    flow = start(qtbot, ctx)
    wizard = wizard_of(qtbot, flow)
    assert location(qtbot, wizard, url, server_password), error_text(wizard)
    assert first_chief(qtbot, wizard, login, display, password), error_text(wizard)
    return SetupRun(flow, finish(qtbot, flow, wizard))
