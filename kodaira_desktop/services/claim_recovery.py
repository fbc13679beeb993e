"""Housekeeping between passes: claims left by dead dispatchers, and emergency requests whose
window passed unanswered."""

from __future__ import annotations

from datetime import datetime

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import audit
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatch_host import FORGET_DEAD_AFTER, HEARTBEAT_STALE, pid_alive
from kodaira_desktop.services.dispatch_report import DispatchReport, Finish
from kodaira_desktop.services.publisher_pool import is_retry_safe

S = EntryState


class ClaimRecovery:
    def __init__(self, ctx: AppContext, host: str, host_name: str, finish: Finish) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.host = host
        self.host_name = host_name
        self._finish = finish

    def expire_requests(self, now: datetime) -> None:
        """Emergency requests whose window passed unanswered: their entries are held."""
        for request in self.store.list_pending_overrides():
            if request.window_end >= now:
                continue
            if not self.store.decide_override(request.id, "expired", decided_by="system"):
                continue
            item = self.store.get_item(request.item_id)
            for entry in item.entries if item else ():
                if entry.state == S.AWAITING_APPROVAL:
                    self.store.transition(
                        entry.id,
                        entry.state,
                        entry.version,
                        S.HELD,
                        last_error="緊急投稿の承認期限が過ぎました。",
                    )
            audit.record(
                self.ctx,
                "override.expired",
                f"item:{request.item_id}",
                {},
                actor=f"dispatcher@{self.host}",
            )

    def recover_orphans(self, now: datetime, report: DispatchReport, *, own: bool = True) -> None:
        """Entries left in `sending` by a dead dispatcher (no heartbeat for HEARTBEAT_STALE, or
        a dead process on this PC), or by this one before a lost connection. One whose
        request never started is simply queued again; one whose request may have left is
        resumed where that is safe (LINE's retry key, YouTube's session), else `unknown`.
        ``own``: include this dispatcher's claims (only between passes, when none is in hand)."""
        also = [self.host] if own else []
        also += self.dead_on_this_pc()
        self.store.prune_heartbeats(now - FORGET_DEAD_AFTER)
        for entry in self.store.orphaned_claims(now - HEARTBEAT_STALE, also):
            if not own and entry.claimed_by == self.host:
                continue
            channel = self.store.get_channel(entry.channel_key)
            if entry.request_started_at is None:
                self._finish(
                    entry,
                    S.RETRY_WAIT,
                    report.retrying,
                    "entry.recovered",
                    next_attempt_at=now,
                    claimed_by=None,
                    last_error=None,
                )
            elif channel is not None and is_retry_safe(channel):
                self._finish(
                    entry,
                    S.RETRY_WAIT,
                    report.retrying,
                    "entry.recovered",
                    next_attempt_at=now,
                    claimed_by=None,
                    last_error="送信中に中断されました。再開します。",
                )
            else:
                self._finish(
                    entry,
                    S.UNKNOWN,
                    report.unknown,
                    "entry.unknown",
                    last_error="送信中に中断されました。投稿されたか確認してください。",
                )

    def dead_on_this_pc(self) -> list[str]:
        """Heartbeats of this PC whose process is gone: no need to wait for them to go stale."""
        prefix = f"{self.host_name}:"
        return [
            beat.host_id
            for beat in self.store.list_heartbeats()
            if beat.host_id.startswith(prefix)
            and beat.host_id != self.host
            and not pid_alive(beat.pid)
        ]
