"""The oversight screens for scripts/screenshots.py: the chief's inbox and dialogs, the
on-the-spot confirmation, the audit log (sound, then tampered), channels, a 結果不明 entry,
and the status bar without a root of trust."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import channels, compose, queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.workers import TaskRunner

SUSPEND_REASON = "システム障害のため、当面の間このアカウントの運用を停止します。"


def _settle(app: QApplication, runner: TaskRunner) -> None:
    """Let the workers finish and their results reach the widgets."""
    for _ in range(100):
        runner.wait()
        app.processEvents()
        if not runner.busy:
            return


def _seed(ctx: AppContext, chief: AppContext, password: str) -> None:
    channels.suspend(chief, "facebook", SUSPEND_REASON, password)
    entry = next(e for e in queries.entries(ctx) if e.state == EntryState.SCHEDULED)
    ctx.store.transition(entry.id, entry.state, entry.version, EntryState.SENDING)
    sending = ctx.store.get_entry(entry.id)
    assert sending is not None
    ctx.store.transition(
        sending.id,
        sending.state,
        sending.version,
        EntryState.UNKNOWN,
        last_error="送信後、X から応答がありませんでした（タイムアウト）",
    )


def render(app: QApplication, ctx: AppContext, chief: AppContext, password: str, out: Path) -> None:
    _seed(ctx, chief, password)

    def shot(widget: QWidget, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(out / name))
        print(f"wrote {out / name}")

    staff = MainWindow(ctx)
    staff.resize(1400, 900)
    staff.show()
    _settle(app, staff.runner)
    pending = queries.pending_overrides(ctx)[0].item_id
    assert staff.composer is not None
    staff.composer.awaiting_item_id = pending
    dialog = staff.composer.open_confirm_here()
    assert dialog is not None
    _settle(app, staff.runner)
    dialog.password.setText("wrong-password")
    dialog.run_action(dialog._actions[0])
    _settle(app, staff.runner)
    shot(dialog, "11-confirm-here-wrong-password.png")
    dialog.close()
    unknown = next(e for e in queries.entries(ctx) if e.state == EntryState.UNKNOWN)
    shot(staff.oversight.open_unknown(unknown, staff, lambda: None), "15-unknown-dialog.png")
    staff.close()

    window = MainWindow(chief)
    window.resize(1400, 900)
    window.show()
    _settle(app, window.runner)
    inbox, audit, suspended = window.oversight.inbox, window.oversight.audit, window.oversight
    assert inbox is not None
    assert suspended.channels is not None
    window.tabs.setCurrentWidget(inbox)
    shot(window, "09-approvals-inbox.png")
    decision = inbox.open_decision(approve=False)
    assert decision is not None
    decision.reason.setPlainText("月曜日の朝の投稿で間に合うため")
    shot(decision, "10-reject-dialog.png")
    decision.close()

    window.tabs.setCurrentWidget(suspended.channels)
    _settle(app, window.runner)
    suspended.channels.select("facebook")
    shot(window, "14-channels.png")

    window.tabs.setCurrentWidget(audit)
    _settle(app, window.runner)
    audit.verify()
    _settle(app, window.runner)
    shot(window, "12-audit-log.png")
    database = Path(chief.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(database) as db:
        db.execute("UPDATE audit_log SET actor = 'someone' WHERE seq = 4")
    audit.verify()
    _settle(app, window.runner)
    shot(window, "13-audit-tampered.png")

    for candidate in chief.paths.trust_root_candidates:
        candidate.unlink(missing_ok=True)
    window.status.refresh()
    _settle(app, window.runner)
    shot(window.status, "16-status-no-trust-root.png")
    window.close()
    compose.get_item(ctx, pending)  # the database is still readable after it all
