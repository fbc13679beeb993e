"""Reading entries (with their item's text) inside an open session."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kodaira_desktop.domain.entry_query import EntryOrder, SortKey
from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.store import convert
from kodaira_desktop.store.tables import EntryRow, ItemRow
from kodaira_desktop.store.types import require_aware


def entries_query() -> Select[Any]:
    """Entry columns and the item's text as plain rows (no ORM identity map: several times
    faster to load, and nothing here is changed through them)."""
    columns = EntryRow.__table__.columns
    return select(*columns, ItemRow.text.label("item_text")).join(
        ItemRow, ItemRow.id == EntryRow.item_id
    )


Q = TypeVar("Q", bound=Select[Any])


def filtered(
    query: Q,
    *,
    states: Collection[EntryState] | None = None,
    channels: Collection[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    item_id: int | None = None,
) -> Q:
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


_SORT_COLUMNS: dict[SortKey, tuple[Any, ...]] = {
    SortKey.SCHEDULED: (EntryRow.scheduled_at,),
    SortKey.CHANNEL: (EntryRow.channel_key, EntryRow.scheduled_at),
    SortKey.STATE: (EntryRow.state, EntryRow.scheduled_at),
    SortKey.TEXT: (ItemRow.text,),
    SortKey.ITEM: (EntryRow.item_id,),
    SortKey.ERROR: (func.coalesce(EntryRow.last_error, ""),),
}


def ordered(query: Select[Any], order: EntryOrder | None = None) -> Select[Any]:
    """By ``order`` (scheduled time by default), the entry id breaking ties, so that pages
    fetched one by one line up. The usual orders run on indexes (migration 0006)."""
    order = order or EntryOrder()
    columns = (*_SORT_COLUMNS[order.key], EntryRow.id)
    if order.descending:
        return query.order_by(*(column.desc() for column in columns))
    return query.order_by(*columns)


def load_entries(session: Session, query: Select[Any]) -> list[Entry]:
    return [convert.entry(row, row.item_text) for row in session.execute(query).all()]


def load_by_ids(session: Session, ids: Sequence[int]) -> list[Entry]:
    """Entries in the order of ``ids``."""
    if not ids:
        return []
    found = {e.id: e for e in load_entries(session, entries_query().where(EntryRow.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def count_query() -> Select[Any]:
    """``filtered`` this counts on the entries table alone (indexed, no join)."""
    return select(func.count()).select_from(EntryRow)


def count(session: Session, query: Select[Any]) -> int:
    return session.scalar(query) or 0
