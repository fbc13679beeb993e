"""Queueing the composer's post on a worker thread: check, queue (one item or a repeat's
items, all or nothing), then cancel the item being edited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest, Submitted
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui.repeat_control import RepeatChoice, queue_repeating

Repeat = tuple[RepeatChoice, datetime]


@dataclass(frozen=True)
class SubmitOutcome:
    submitted: Submitted
    replaced_item_id: int | None
    #: Items queued by a repeat (1 for a single post).
    count: int = 1


def queue_post(
    ctx: AppContext, request: ComposeRequest, replaces: int | None, repeat: Repeat | None = None
) -> SubmitOutcome:
    """Worker-thread body: check, cancel the item being edited, queue the new one(s)."""
    result = compose.check(ctx, request)
    if not result.ok:
        raise ServiceError(result.summary(), invalid=True)
    if repeat is not None:  # queued (all or nothing) before the edited item is cancelled
        first, count = queue_repeating(ctx, request, *repeat)
        if replaces is not None:
            compose.cancel_item(ctx, replaces)
        return SubmitOutcome(first, replaces, count)
    if replaces is not None:
        compose.cancel_item(ctx, replaces)
    return SubmitOutcome(compose.submit(ctx, request), replaces)


def is_schedule_problem(problem: str) -> bool:
    return "次に投稿できるのは" in problem or problem.startswith("過去の日時")
