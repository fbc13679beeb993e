"""Reading entries (with their item's text) inside an open session."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.store import convert
from kodaira_desktop.store.tables import EntryRow, ItemRow
from kodaira_desktop.store.types import require_aware


def entries_query() -> Select[EntryRow, str]:
    return select(EntryRow, ItemRow.text).join(ItemRow, ItemRow.id == EntryRow.item_id)


def filtered(
    query: Select[EntryRow, str],
    *,
    states: Collection[EntryState] | None = None,
    channels: Collection[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    item_id: int | None = None,
) -> Select[EntryRow, str]:
    """Filters shared by listing and counting; ``[start, end)`` applies to ``scheduled_at``."""
    if states is not None:
        query = query.where(EntryRow.state.in_([state.value for state in states]))
    if channels is not None:
        query = query.where(EntryRow.channel_key.in_(list(channels)))
    if start is not None:
        query = query.where(EntryRow.scheduled_at >= require_aware(start, "start"))
    if end is not None:
        query = query.where(EntryRow.scheduled_at < require_aware(end, "end"))
    if item_id is not None:
        query = query.where(EntryRow.item_id == item_id)
    return query


def ordered(query: Select[EntryRow, str]) -> Select[EntryRow, str]:
    return query.order_by(EntryRow.scheduled_at, EntryRow.id)


def load_entries(session: Session, query: Select[EntryRow, str]) -> list[Entry]:
    rows = session.execute(query.execution_options(populate_existing=True)).all()
    return [convert.entry(row, text) for row, text in rows]


def load_by_ids(session: Session, ids: Sequence[int]) -> list[Entry]:
    """Entries in the order of ``ids``."""
    if not ids:
        return []
    found = {e.id: e for e in load_entries(session, entries_query().where(EntryRow.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def count(session: Session, query: Select[EntryRow, str]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0
