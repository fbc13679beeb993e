"""「チャンネル」: the chief suspends a channel (its waiting posts are held) and resumes it."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channels_view import ChannelsView
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import CHIEF_PASSWORD, JST
from tests.ui.emergency import cell, chief_ctx, fill_and_press, runner, states

__all__ = ["chief_ctx", "runner"]
REASON = "システム障害のため、LINE公式アカウントの運用を一時停止します。"


def state_of(view: ChannelsView, key: str) -> str:
    row = [c.key for c in view.channels].index(key)
    return cell(view.table, row, 2)


def test_suspend_then_resume_a_channel(
    qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext, runner: TaskRunner
) -> None:
    item_id = compose.submit(
        ctx,
        ComposeRequest(
            text="ごみ収集日のお知らせ",
            channels=("line",),
            at=datetime(2026, 11, 26, 10, 0, tzinfo=JST),
        ),
    ).item_id
    view = ChannelsView(chief_ctx, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()
    assert state_of(view, "line") == "稼働中"
    view.select("line")
    assert view.suspend_button.isEnabled()
    assert not view.resume_button.isEnabled()

    dialog = view.open_suspend()
    assert dialog is not None
    assert "ホームページ" in dialog.findChildren(type(view.message))[0].text()
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        fill_and_press(qtbot, dialog, "停止する", "wrong-password", reason=REASON)
    assert state_of(view, "line") == "稼働中"
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        fill_and_press(qtbot, dialog, "停止する", CHIEF_PASSWORD)
    assert state_of(view, "line") == f"停止中：{REASON}"
    assert "保留にした投稿 1 件" in view.message.text()
    assert states(ctx, item_id) == {EntryState.HELD}
    assert view.resume_button.isEnabled()
    assert not view.suspend_button.isEnabled()

    dialog = view.open_resume()
    assert dialog is not None
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        fill_and_press(qtbot, dialog, "再開する", CHIEF_PASSWORD)
    assert state_of(view, "line") == "稼働中"
    assert states(ctx, item_id) == {EntryState.SCHEDULED}
