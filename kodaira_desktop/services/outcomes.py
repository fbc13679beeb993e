"""A person resolves an entry whose outcome is unknown: mark it published, or send it again."""

from __future__ import annotations

from typing import Literal

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import audit, chiefs
from kodaira_desktop.services.accounts import acting_user
from kodaira_desktop.services.context import AppContext, ServiceError


def resolve_unknown(
    ctx: AppContext, entry_id: int, outcome: Literal["published", "resend"], url: str | None
) -> Entry:
    entry = ctx.store.get_entry(entry_id)
    if entry is None:
        raise ServiceError(
            f"予約 {entry_id} はありません (there is no entry {entry_id})", invalid=True
        )
    user = acting_user(ctx)
    if entry.channel_key not in user.channels and not chiefs.is_chief(ctx, user):
        raise ServiceError(
            f"{entry.channel_key} の担当者に指定されていません (you are not designated for it)",
            invalid=True,
        )
    if entry.state != EntryState.UNKNOWN:
        raise ServiceError(
            f"予約 {entry_id} は結果不明ではありません "
            f"(entry {entry_id} is {entry.state.value}, not unknown)",
            invalid=True,
        )
    now = ctx.clock.now()
    row = audit.pending(ctx, f"entry.marked_{outcome}", f"entry:{entry_id}", {"url": url})
    if outcome == "published":
        changed = ctx.store.transition(
            entry.id,
            entry.state,
            entry.version,
            EntryState.PUBLISHED,
            audit=row,
            remote_url=url,
            published_at=now,
            last_error=None,
        )
    else:
        when = max(now, entry.scheduled_at)
        if not ctx.policy.check(when).allowed:
            when = ctx.policy.next_allowed(when)
        changed = ctx.store.transition(
            entry.id,
            entry.state,
            entry.version,
            EntryState.SCHEDULED,
            audit=row,
            scheduled_at=when,
            last_error=None,
            resume_state=None,
        )
    if not changed:
        raise ServiceError(
            f"予約 {entry_id} は他の人が変更しました "
            f"(entry {entry_id} changed meanwhile; look again)"
        )
    updated = ctx.store.get_entry(entry_id)
    assert updated is not None
    return updated
