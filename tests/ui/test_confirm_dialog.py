"""「課長がこのPCで確認する」: the chief approves or rejects on the staff member's PC."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import state_label
from kodaira_desktop.ui.confirm_dialog import APPROVE, REJECT, OnTheSpotDialog
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import CHIEF_PASSWORD
from tests.ui.emergency import entries, fill_and_press, request_emergency, runner, states
from tests.ui.helpers import click

__all__ = ["runner"]


def open_dialog(qtbot: QtBot, ctx: AppContext, runner: TaskRunner, item_id: int) -> OnTheSpotDialog:
    dialog = OnTheSpotDialog(ctx, runner, item_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.chosen_chief() is not None)
    return dialog


def test_the_right_password_approves_and_the_entries_are_scheduled(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    item_id = request_emergency(ctx)
    dialog = open_dialog(qtbot, ctx, runner, item_id)
    assert dialog.chosen_chief() == "chief"
    assert "秘書広報課長（chief）" in dialog.chief_box.currentText()
    assert dialog.summary.reason_label.text() == "大雨による避難指示の周知"
    assert dialog.summary.texts.count() == 2  # X and LINE, each with its text
    assert not dialog.action_buttons[APPROVE].isEnabled()  # no password yet

    with qtbot.waitSignal(dialog.succeeded, timeout=10_000):
        fill_and_press(qtbot, dialog, APPROVE, CHIEF_PASSWORD)
    assert not dialog.isVisible()
    assert dialog.password.text() == ""
    assert states(ctx, item_id) == {EntryState.SCHEDULED}
    assert {state_label(e.state) for e in entries(ctx, item_id)} == {"予約済み"}
    assert not queries.pending_overrides(ctx)


def test_a_wrong_password_says_so_and_leaves_the_request_pending(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    item_id = request_emergency(ctx)
    dialog = open_dialog(qtbot, ctx, runner, item_id)
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        fill_and_press(qtbot, dialog, APPROVE, "not-the-password")
    assert "パスワードが違います" in failed.args[0]
    assert dialog.isVisible()
    assert "パスワードが違います" in dialog.message.text()
    assert dialog.password.text() == ""
    assert states(ctx, item_id) == {EntryState.AWAITING_APPROVAL}
    assert [r.item_id for r in queries.pending_overrides(ctx)] == [item_id]


def test_five_wrong_passwords_lock_the_chief_out(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    item_id = request_emergency(ctx)
    dialog = open_dialog(qtbot, ctx, runner, item_id)
    for _attempt in range(5):
        with qtbot.waitSignal(dialog.failed, timeout=10_000):
            fill_and_press(qtbot, dialog, APPROVE, "wrong-password")
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as locked:
        fill_and_press(qtbot, dialog, APPROVE, CHIEF_PASSWORD)  # even the right one now
    assert "ロック" in locked.args[0]
    assert locked.args[0] in dialog.message.text()
    assert states(ctx, item_id) == {EntryState.AWAITING_APPROVAL}


def test_rejecting_with_a_reason_holds_the_entries(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    item_id = request_emergency(ctx)
    dialog = open_dialog(qtbot, ctx, runner, item_id)
    qtbot.keyClicks(dialog.password, CHIEF_PASSWORD)
    assert not dialog.action_buttons[REJECT].isEnabled()  # a reason is required
    dialog.password.clear()
    with qtbot.waitSignal(dialog.succeeded, timeout=10_000):
        fill_and_press(qtbot, dialog, REJECT, CHIEF_PASSWORD, reason="月曜の朝で間に合います")
    held = entries(ctx, item_id)
    assert {e.state for e in held} == {EntryState.HELD}
    assert {state_label(e.state) for e in held} == {"保留"}
    assert all("月曜の朝で間に合います" in (e.last_error or "") for e in held)


def test_the_composer_offers_the_on_the_spot_confirmation(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    composer = window.composer
    assert composer is not None
    assert composer.confirm_here_button.isHidden()
    item_id = request_emergency(ctx)
    # What the composer does once the worker reports the emergency request as queued.
    composer.awaiting_item_id = item_id
    composer.confirm_here_button.show()
    click(qtbot, composer.confirm_here_button)
    dialog = composer.confirm_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.chosen_chief() is not None)
    with qtbot.waitSignal(composer.overrideDecided, timeout=10_000):
        fill_and_press(qtbot, dialog, APPROVE, CHIEF_PASSWORD)
    assert composer.confirm_here_button.isHidden()
    assert "承認しました" in composer.result_label.text()
    assert states(ctx, item_id) == {EntryState.SCHEDULED}
    qtbot.waitUntil(lambda: not window.runner.busy)
