"""結果不明: a person marks the post as published (with its URL) or sends it again."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.queue_model import COLUMN_STATE
from kodaira_desktop.ui.unknown_dialog import UnknownOutcomeDialog
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import JST
from tests.ui.emergency import runner
from tests.ui.helpers import click

__all__ = ["runner"]
URL = "https://x.com/kodaira_koho/status/1234567890"


def unknown_entry(ctx: AppContext) -> Entry:
    """A post the dispatcher sent without learning whether it arrived."""
    item_id = compose.submit(
        ctx,
        ComposeRequest(
            text="市民まつりのお知らせ",
            channels=("x-city",),
            at=datetime(2026, 11, 25, 9, 30, tzinfo=JST),
        ),
    ).item_id
    entry = compose.get_item(ctx, item_id).entries[0]
    assert ctx.store.transition(entry.id, entry.state, entry.version, EntryState.SENDING)
    sending = ctx.store.get_entry(entry.id)
    assert sending is not None
    assert ctx.store.transition(
        sending.id, sending.state, sending.version, EntryState.UNKNOWN, last_error="応答なし"
    )
    found = ctx.store.get_entry(entry.id)
    assert found is not None
    return found


def make_dialog(qtbot: QtBot, ctx: AppContext, runner: TaskRunner) -> UnknownOutcomeDialog:
    dialog = UnknownOutcomeDialog(ctx, runner, unknown_entry(ctx))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_mark_published_with_the_url(qtbot: QtBot, ctx: AppContext, runner: TaskRunner) -> None:
    dialog = make_dialog(qtbot, ctx, runner)
    qtbot.keyClicks(dialog.url, URL)
    with qtbot.waitSignal(dialog.resolved, timeout=10_000) as done:
        click(qtbot, dialog.published_button)
    entry: Entry = done.args[0]
    assert entry.state == EntryState.PUBLISHED
    assert entry.remote_url == URL
    assert not dialog.isVisible()


def test_resend_needs_the_account_checked_first(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    dialog = make_dialog(qtbot, ctx, runner)
    assert not dialog.resend_button.isEnabled()
    click(qtbot, dialog.checked)
    assert dialog.resend_button.isEnabled()
    with qtbot.waitSignal(dialog.resolved, timeout=10_000) as done:
        click(qtbot, dialog.resend_button)
    entry: Entry = done.args[0]
    assert entry.state == EntryState.SCHEDULED
    assert entry.scheduled_at == datetime(2026, 11, 25, 9, 30, tzinfo=JST)  # as planned


def test_opening_an_unknown_row_in_the_queue_table(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    unknown_entry(ctx)
    with qtbot.waitSignal(window.table.loaded, timeout=10_000):
        window.refresh_queue()
    proxy = window.table.model
    rows = [r for r in range(proxy.rowCount()) if "結果不明" in proxy.index(r, COLUMN_STATE).data()]
    assert len(rows) == 1
    window.table._open(proxy.index(rows[0], 0))
    dialog = window.oversight.unknown_dialog
    assert dialog is not None
    assert dialog.isVisible()
    with qtbot.waitSignal(window.table.loaded, timeout=10_000):
        click(qtbot, dialog.published_button)
    assert window.item_dialog is None
    qtbot.waitUntil(lambda: not window.runner.busy)
