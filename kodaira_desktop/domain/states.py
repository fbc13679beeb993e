"""Queue entry states (CONTRACTS.md §6) and the transitions allowed between them."""

from __future__ import annotations

from enum import StrEnum


class EntryState(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    AWAITING_APPROVAL = "awaiting_approval"
    SENDING = "sending"
    RETRY_WAIT = "retry_wait"
    PUBLISHED = "published"
    FAILED = "failed"
    UNKNOWN = "unknown"  # sent, outcome not confirmed: never re-sent automatically
    HELD = "held"  # due, but outside the window without an approved override
    CANCELLED = "cancelled"


S = EntryState

ALLOWED_TRANSITIONS: dict[EntryState, frozenset[EntryState]] = {
    S.DRAFT: frozenset({S.SCHEDULED, S.AWAITING_APPROVAL, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.SENDING, S.HELD, S.CANCELLED, S.AWAITING_APPROVAL, S.SCHEDULED}),
    S.AWAITING_APPROVAL: frozenset({S.SCHEDULED, S.CANCELLED, S.SENDING, S.HELD}),
    # sending -> sending records progress (e.g. a resumable upload's session URL)
    S.SENDING: frozenset({S.SENDING, S.PUBLISHED, S.RETRY_WAIT, S.FAILED, S.UNKNOWN, S.HELD}),
    S.RETRY_WAIT: frozenset({S.SENDING, S.HELD, S.CANCELLED, S.FAILED}),
    S.HELD: frozenset({S.SCHEDULED, S.AWAITING_APPROVAL, S.CANCELLED, S.SENDING}),
    S.UNKNOWN: frozenset({S.PUBLISHED, S.SCHEDULED, S.FAILED, S.CANCELLED}),
    S.FAILED: frozenset({S.SCHEDULED, S.CANCELLED}),
    S.PUBLISHED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: States in which a person may still edit or cancel an entry.
EDITABLE_STATES = frozenset({S.DRAFT, S.SCHEDULED, S.AWAITING_APPROVAL, S.HELD, S.FAILED})
#: States the dispatcher may claim when the entry is due (an emergency request waits in
#: awaiting_approval until the chief approves it, which makes it scheduled).
CLAIMABLE_STATES = frozenset({S.SCHEDULED, S.RETRY_WAIT})
#: States that end an entry's life.
FINAL_STATES = frozenset({S.PUBLISHED, S.CANCELLED})

STATE_LABELS_JA: dict[EntryState, str] = {
    S.DRAFT: "下書き",
    S.SCHEDULED: "予約済み",
    S.AWAITING_APPROVAL: "課長の確認待ち",
    S.SENDING: "送信中",
    S.RETRY_WAIT: "再試行待ち",
    S.PUBLISHED: "投稿済み",
    S.FAILED: "失敗",
    S.UNKNOWN: "結果不明（要確認）",
    S.HELD: "保留",
    S.CANCELLED: "取り消し済み",
}


class TransitionError(ValueError):
    """A state change that the entry's life cycle does not allow."""


def can_transition(current: EntryState, new: EntryState) -> bool:
    return new in ALLOWED_TRANSITIONS[current]


def require_transition(current: EntryState, new: EntryState) -> None:
    if not can_transition(current, new):
        raise TransitionError(f"entry state cannot change from {current} to {new}")
