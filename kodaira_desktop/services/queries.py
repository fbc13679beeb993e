"""Read-only views of the queue for the front doors (the GUI never talks to the store)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from kodaira_desktop.domain.entry_query import AuditWhere, EntryFilter, EntryOrder
from kodaira_desktop.domain.records import (
    AuditRow,
    Channel,
    Entry,
    Heartbeat,
    OverrideRequest,
    User,
)
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services.context import AppContext

#: A dispatcher whose heartbeat is older than this is considered gone (as the dispatchers
#: themselves judge it: services.dispatcher.HEARTBEAT_STALE; they beat every 5 s).
HEARTBEAT_STALE = timedelta(seconds=30)
#: An entry overdue by more than this raises the alarm on every PC.
OVERDUE_ALARM = timedelta(minutes=5)


def channels(ctx: AppContext) -> list[Channel]:
    return ctx.store.list_channels()


def entries_for_month(ctx: AppContext, year: int, month: int) -> list[Entry]:
    from kodaira_desktop.services import first_screen

    return first_screen.month_entries(ctx, year, month)


def entries(
    ctx: AppContext,
    *,
    states: Collection[EntryState] | None = None,
    channel_keys: Collection[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Entry]:
    return ctx.store.list_entries(
        states=states, channels=channel_keys, start=start, end=end, limit=limit, offset=offset
    )


def entry_page(
    ctx: AppContext, where: EntryFilter, order: EntryOrder, offset: int, limit: int
) -> list[Entry]:
    """One page of the queue table: filtered and sorted by the database (indexed)."""
    return ctx.store.list_entries(
        states=where.states,
        channels=where.channels,
        start=where.start,
        end=where.end,
        order=order,
        offset=offset,
        limit=limit,
    )


def entry_count(ctx: AppContext, where: EntryFilter) -> int:
    return ctx.store.count_entries(
        states=where.states, channels=where.channels, start=where.start, end=where.end
    )


def pending_overrides(ctx: AppContext) -> list[OverrideRequest]:
    return ctx.store.list_pending_overrides()


def has_approved_override(ctx: AppContext, item_id: int) -> bool:
    """Whether a chief approved an emergency request for the item (its content is signed)."""
    return bool(ctx.store.list_overrides(status="approved", item_id=item_id))


def live_dispatchers(ctx: AppContext) -> list[Heartbeat]:
    now = ctx.clock.now()
    return [h for h in ctx.store.list_heartbeats() if now - h.last_seen <= HEARTBEAT_STALE]


def overdue_entries(ctx: AppContext) -> list[Entry]:
    """Scheduled entries more than five minutes past due: no dispatcher is publishing."""
    cutoff = ctx.clock.now() - OVERDUE_ALARM
    return ctx.store.list_entries(states=[EntryState.SCHEDULED, EntryState.RETRY_WAIT], end=cutoff)


def overdue_alarm(ctx: AppContext, *, sample: int = 20) -> tuple[int, list[Entry]]:
    """How many entries `overdue_entries` would return, and the first ``sample`` of them,
    without loading them all (the GUI's status bar asks every 30 seconds)."""
    cutoff = ctx.clock.now() - OVERDUE_ALARM
    states = [EntryState.SCHEDULED, EntryState.RETRY_WAIT]
    count = ctx.store.count_entries(states=states, end=cutoff)
    first = ctx.store.list_entries(states=states, end=cutoff, limit=sample) if count else []
    return count, first


def audit_rows(
    ctx: AppContext,
    *,
    action_prefix: str | None = None,
    actor: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[AuditRow]:
    """The audit trail, oldest first, filtered for the audit view (all matching rows)."""
    return audit_page(ctx, AuditWhere(action_prefix, actor, start, end))


def audit_page(
    ctx: AppContext, where: AuditWhere, offset: int = 0, limit: int | None = None
) -> list[AuditRow]:
    """One page of the audit view, filtered in SQL, oldest first."""
    from kodaira_desktop.store import audit_queries

    return audit_queries.audit_page(ctx.store.database, where, offset, limit)


def audit_count(ctx: AppContext, where: AuditWhere) -> int:
    from kodaira_desktop.store import audit_queries

    return audit_queries.audit_count(ctx.store.database, where)


def trust_root_missing(ctx: AppContext) -> bool:
    """True when this PC has no pinned root of trust: approvals cannot be verified here."""
    from kodaira_desktop.services.accounts import read_root

    try:
        return read_root(ctx) is None
    except Exception:  # a malformed file is as good as none
        return True


def chiefs(ctx: AppContext) -> list[User]:
    """The chiefs (秘書広報課長) under the one rule — key chaining to this PC's root, not
    revoked, active — for the on-the-spot confirmation's name list."""
    from kodaira_desktop.services.chiefs import acting_chief_keys

    acting = acting_chief_keys(ctx)
    return [u for u in ctx.store.list_users(role="chief", active_only=True) if u.login in acting]


def policy_preview_note(ctx: AppContext) -> str | None:
    """Why the local policy file is only a preview (it differs from the signed one)."""
    from kodaira_desktop.services.policy_admin import local_preview_note

    try:
        return local_preview_note(ctx)
    except Exception:  # an unreadable local file: shown as a preview too
        return f"ローカルのポリシー {ctx.policy_file} はプレビューのみです"


def users(ctx: AppContext) -> list[User]:
    """Every registered user, active or not (the chief's 職員 tab)."""
    return ctx.store.list_users()


def display_names(ctx: AppContext) -> dict[str, str]:
    """login -> display name of every user (to show who asked and who decided)."""
    return {user.login: user.display_name for user in ctx.store.list_users()}


def override_requests(ctx: AppContext, *, requested_by: str | None = None) -> list[OverrideRequest]:
    """Emergency requests of every status, oldest first (a staff member's own, or all)."""
    return [
        request
        for request in ctx.store.list_overrides()
        if requested_by is None or request.requested_by == requested_by
    ]
