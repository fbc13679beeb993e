"""What a view asks of the queue or the audit trail: filters and an order, computed by the
database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kodaira_desktop.domain.states import EntryState


class SortKey(StrEnum):
    SCHEDULED = "scheduled"
    CHANNEL = "channel"
    STATE = "state"
    TEXT = "text"
    ITEM = "item"
    ERROR = "error"


@dataclass(frozen=True)
class EntryFilter:
    """None means "any"; ``[start, end)`` bounds the scheduled time."""

    channels: frozenset[str] | None = None
    states: frozenset[EntryState] | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class EntryOrder:
    key: SortKey = SortKey.SCHEDULED
    descending: bool = False


@dataclass(frozen=True)
class AuditWhere:
    """None means "any"; ``[start, end)`` bounds the time."""

    action_prefix: str | None = None
    actor: str | None = None
    start: datetime | None = None
    end: datetime | None = None
