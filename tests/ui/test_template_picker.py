"""The composer's 定型文 row: choosing a shared template, saving your own."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import templates
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import template_picker
from kodaira_desktop.ui.main_window import MainWindow
from tests.ui.conftest import JST, make_context
from tests.ui.helpers import click, wait_checked

CLINIC = "{日付}（{曜日}）は休日診療があります。"


@pytest.fixture
def shared_template(database_file: Path, clock: FakeClock) -> None:
    chief = make_context(database_file, clock, login="chief")
    templates.save(chief, "休日診療", CLINIC, ("x-city", "line"), "健康・福祉")
    chief.close()


@pytest.mark.usefixtures("shared_template")
def test_a_chosen_template_fills_the_composer_and_its_date_when_queued(
    qtbot: QtBot, ctx: AppContext, database_file: Path, clock: FakeClock
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    composer = window.composer
    assert composer is not None
    qtbot.waitUntil(lambda: composer.templates.combo.count() == 2)
    assert composer.templates.combo.itemText(1) == "休日診療"
    composer.templates.choose("休日診療")
    assert composer.text_edit.toPlainText() == CLINIC
    assert composer.selected_channels() == ["x-city", "line"]
    assert composer.category.currentText() == "健康・福祉"
    composer.picker.set_chosen(datetime(2026, 12, 1, 10, 0, tzinfo=JST))
    wait_checked(qtbot, composer)
    with qtbot.waitSignal(composer.submitted, timeout=10_000):
        click(qtbot, composer.schedule_button)
    texts = {e.text for e in ctx.store.list_entries()}
    assert texts == {"12月1日（火）は休日診療があります。"}
    qtbot.waitUntil(lambda: not window.runner.busy)


def test_staff_save_their_own_template(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    composer = window.composer
    assert composer is not None
    composer.text_edit.setPlainText("{日付} の市報")
    monkeypatch.setattr(template_picker, "ask_template_name", lambda parent, shared: "市報")
    with qtbot.waitSignal(composer.templates.saved, timeout=5000) as signal:
        click(qtbot, composer.templates.save_button)
    assert not signal.args[0].shared
    qtbot.waitUntil(lambda: composer.templates.combo.count() == 2)
    assert composer.templates.combo.itemText(1) == "市報（自分用）"
    assert [t.name for t in templates.list_templates(ctx)] == ["市報"]
    qtbot.waitUntil(lambda: not window.runner.busy)
