"""「課長の確認」: the chief's inbox of emergency requests, and the staff member's view of it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.records import User
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.accounts import acting_user
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.approvals_inbox import REFRESH_MS, ApprovalsInbox
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.notifier import RecordingNotifier
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import CHIEF_PASSWORD
from tests.ui.emergency import (
    SATURDAY_EARLY,
    cell,
    chief_ctx,
    fill_and_press,
    request_emergency,
    runner,
    states,
)

__all__ = ["chief_ctx", "runner"]


def make_inbox(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner, notifier: RecordingNotifier
) -> ApprovalsInbox:
    user: User = acting_user(ctx)
    inbox = ApprovalsInbox(ctx, user, runner, notifier)
    qtbot.addWidget(inbox)
    refresh(qtbot, inbox)
    return inbox


def refresh(qtbot: QtBot, inbox: ApprovalsInbox) -> None:
    with qtbot.waitSignal(inbox.refreshed, timeout=10_000):
        inbox.refresh()


def test_the_chief_sees_a_pending_request_and_approves_it(
    qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext, runner: TaskRunner
) -> None:
    item_id = request_emergency(ctx)
    inbox = make_inbox(qtbot, chief_ctx, runner, RecordingNotifier())
    assert inbox.table.rowCount() == 1
    assert cell(inbox.table, 0, 0) == f"#{item_id}"
    assert cell(inbox.table, 0, 1) == "2026年11月28日（土）07:00"  # Japan time
    assert cell(inbox.table, 0, 2) == "田中 花子"
    assert cell(inbox.table, 0, 3) == "小平市公式 X、LINE"
    assert inbox.summary.reason_label.text() == "大雨による避難指示の周知"
    assert inbox.summary.texts.count() == 2
    assert inbox.approve_button.isEnabled()
    assert inbox.reject_button.isEnabled()
    assert "1 件" in inbox.heading.text()

    dialog = inbox.open_decision(approve=True)
    assert dialog is not None
    with qtbot.waitSignal(inbox.decided, timeout=10_000):
        fill_and_press(qtbot, dialog, "承認する", CHIEF_PASSWORD)
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 0)
    assert states(ctx, item_id) == {EntryState.SCHEDULED}
    assert inbox.message.text() == "承認しました。"
    assert not inbox.approve_button.isEnabled()


def test_rejecting_from_the_inbox_needs_a_reason_and_the_password(
    qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext, runner: TaskRunner
) -> None:
    item_id = request_emergency(ctx)
    inbox = make_inbox(qtbot, chief_ctx, runner, RecordingNotifier())
    dialog = inbox.open_decision(approve=False)
    assert dialog is not None
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        fill_and_press(qtbot, dialog, "却下する", "bad-password", reason="内容を再確認")
    assert "パスワードが違います" in failed.args[0]
    assert states(ctx, item_id) == {EntryState.AWAITING_APPROVAL}
    with qtbot.waitSignal(inbox.decided, timeout=10_000):
        fill_and_press(qtbot, dialog, "却下する", CHIEF_PASSWORD)  # the reason is still there
    assert states(ctx, item_id) == {EntryState.HELD}


def test_a_new_request_notifies_the_chief_once(
    qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext, runner: TaskRunner
) -> None:
    notifier = RecordingNotifier()
    inbox = make_inbox(qtbot, chief_ctx, runner, notifier)
    assert inbox.timer.isActive()
    assert inbox.timer.interval() == REFRESH_MS
    assert notifier.messages == []

    item_id = request_emergency(ctx)
    with qtbot.waitSignal(inbox.refreshed, timeout=10_000):
        inbox.timer.timeout.emit()  # what the 15-second timer does
    assert len(notifier.messages) == 1
    title, message = notifier.messages[0]
    assert title == "緊急投稿の確認依頼"
    assert f"#{item_id}" in message
    assert "田中 花子" in message

    refresh(qtbot, inbox)  # the same request again: no second notification
    assert len(notifier.messages) == 1
    request_emergency(ctx, "【緊急】断水のお知らせ")
    refresh(qtbot, inbox)
    assert len(notifier.messages) == 2


def test_staff_see_their_own_requests_and_what_became_of_them(
    qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext, runner: TaskRunner
) -> None:
    from kodaira_desktop.services import approvals

    notifier = RecordingNotifier()
    item_id = request_emergency(ctx)
    inbox = make_inbox(qtbot, ctx, runner, notifier)
    assert inbox.approve_button.isHidden()
    assert not inbox.here_button.isHidden()
    assert cell(inbox.table, 0, 5) == "課長の確認待ち"
    assert inbox.here_button.isEnabled()

    approvals.reject(chief_ctx, item_id, "平日の朝に投稿してください", CHIEF_PASSWORD)
    refresh(qtbot, inbox)
    assert cell(inbox.table, 0, 5) == "却下"
    assert "平日の朝に投稿してください" in inbox.summary.status_label.text()
    assert not inbox.here_button.isEnabled()
    assert notifier.messages == []  # staff are not notified of requests


def test_the_main_window_shows_the_inbox_to_the_chief(
    qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext
) -> None:
    request_emergency(ctx)
    window = MainWindow(chief_ctx)
    qtbot.addWidget(window)
    inbox = window.oversight.inbox
    assert inbox is not None
    assert window.oversight.channels is not None
    qtbot.waitUntil(lambda: inbox.table.rowCount() == 1)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "課長の確認（1）" in titles
    assert "チャンネル" in titles
    assert "監査ログ" in titles
    window.close()


def test_the_chief_sees_each_attached_file_and_its_public_url(
    qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext, runner: TaskRunner, sample_png: Path
) -> None:
    # Issue 15, finding 4: the URL LINE sends is signed, so the chief is shown it.
    url = "https://www.city.kodaira.tokyo.jp/img/hinanjo.png"
    submitted = compose.submit(
        ctx,
        ComposeRequest(
            text="避難所を開設しました。",
            channels=("line",),
            media=(sample_png,),
            image_urls=(url,),
            at=SATURDAY_EARLY,
            emergency_reason="大雨による避難指示の周知",
        ),
    )
    inbox = make_inbox(qtbot, chief_ctx, runner, RecordingNotifier())
    assert cell(inbox.table, 0, 0) == f"#{submitted.item_id}"
    shown = inbox.summary.media_label.text()
    assert "photo.png（image/png" in shown
    assert f"画像URL: {url}" in shown
