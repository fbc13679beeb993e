"""Queue a repeating post as one item per occurrence, linked as a series; cancel a series."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from kodaira_desktop.domain.repeats import Occurrence, OnClosed, RepeatError, expand, fit_to_policy
from kodaira_desktop.domain.states import EDITABLE_STATES
from kodaira_desktop.services import audit, compose
from kodaira_desktop.services.accounts import acting_user
from kodaira_desktop.services.context import AppContext, ServiceError


@dataclass(frozen=True)
class RepeatPlan:
    """The occurrences of a repeat as checked; ``problems`` maps an occurrence's planned
    instant (ISO) to why it is refused. Nothing is queued."""

    occurrences: tuple[Occurrence, ...]
    problems: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.problems and any(o.when for o in self.occurrences)


@dataclass(frozen=True)
class QueuedSeries:
    series_id: str
    #: One per item, in order.
    submitted: tuple[compose.Submitted, ...]
    occurrences: tuple[Occurrence, ...]

    @property
    def item_ids(self) -> tuple[int, ...]:
        return tuple(s.item_id for s in self.submitted)


def plan(
    ctx: AppContext,
    request: compose.ComposeRequest,
    rule: str,
    until: date | None = None,
    on_closed: OnClosed = "next",
) -> RepeatPlan:
    """Expand the rule from ``request.at`` and check every occurrence as ``queue add`` would."""
    if request.at is None:
        raise ServiceError(
            "繰り返しには最初の日時（--at）が必要です (--repeat needs --at)", invalid=True
        )
    if request.emergency_reason is not None:
        raise ServiceError(
            "緊急投稿は繰り返せません (an emergency post cannot repeat)", invalid=True
        )
    if request.at.tzinfo is None:
        raise ServiceError("日時にはタイムゾーンが必要です", invalid=True)
    try:
        instants = expand(rule, request.at, until, ctx.policy)
        occurrences = fit_to_policy(instants, ctx.policy, on_closed)
    except RepeatError as error:
        raise ServiceError(str(error), invalid=True) from error
    user = acting_user(ctx)
    problems: dict[str, str] = {}
    for occurrence in occurrences:
        if occurrence.when is None:
            continue
        checked = compose.check(ctx, replace(request, at=occurrence.when), user)
        if not checked.ok:
            problems[occurrence.planned.isoformat()] = checked.summary()
    return RepeatPlan(tuple(occurrences), problems)


def submit(
    ctx: AppContext,
    request: compose.ComposeRequest,
    rule: str,
    until: date | None = None,
    on_closed: OnClosed = "next",
) -> QueuedSeries:
    """Queue every occurrence, all or nothing (items already created are cancelled again
    should a later one be refused)."""
    checked = plan(ctx, request, rule, until, on_closed)
    if checked.problems:
        first, why = next(iter(checked.problems.items()))
        more = f"（ほか {len(checked.problems) - 1} 件）" if len(checked.problems) > 1 else ""
        raise ServiceError(f"{first[:16].replace('T', ' ')} の回: {why}{more}", invalid=True)
    if not checked.ok:
        raise ServiceError("投稿できる回がありません (every occurrence was left out)", invalid=True)
    series_id = str(uuid.uuid4())
    queued: list[compose.Submitted] = []
    try:
        for occurrence in checked.occurrences:
            if occurrence.when is not None:
                at = replace(request, at=occurrence.when, series_id=series_id)
                queued.append(compose.submit(ctx, at))
    except BaseException:
        for done in queued:
            compose.cancel_item(ctx, done.item_id)
        raise
    created = [done.item_id for done in queued]
    audit.record(
        ctx,
        "series.created",
        f"series:{series_id}",
        {"rule": rule, "until": until.isoformat() if until else None, "items": created},
    )
    return QueuedSeries(series_id, tuple(queued), checked.occurrences)


def cancel_from(ctx: AppContext, item_id: int) -> list[int]:
    """Cancel ``item_id`` and the later items of its series; return the cancelled item ids.

    Items already sent (nothing left to cancel) are passed over."""
    item = compose.get_item(ctx, item_id)
    if item.series_id is None:
        raise ServiceError(
            f"投稿 {item_id} は繰り返しの投稿ではありません "
            f"(item {item_id} is not part of a series)",
            invalid=True,
        )
    start = min(e.scheduled_at for e in item.entries)
    cancelled: list[int] = []
    for other_id in ctx.store.series_item_ids(item.series_id):
        other = compose.get_item(ctx, other_id)
        if min(e.scheduled_at for e in other.entries) < start:
            continue
        if not any(e.state in EDITABLE_STATES for e in other.entries):
            continue
        compose.cancel_item(ctx, other_id)
        cancelled.append(other_id)
    return cancelled
