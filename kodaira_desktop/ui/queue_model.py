"""The queue as tables: `EntryTableModel` over a short plain list of `Entry` records (an
item's entries), and `PagedEntryModel` over the whole queue, paged from the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.entry_query import EntryOrder, SortKey
from kodaira_desktop.domain.records import Entry
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.channel_style import (
    ATTENTION_STATES,
    channel_colour,
    channel_label,
    state_label,
    state_mark,
)
from kodaira_desktop.ui.record_model import (
    MAX_CACHED_PAGES,
    PAGE_SIZE,
    PagedRecordModel,
    RecordTableModel,
)

__all__ = ["MAX_CACHED_PAGES", "PAGE_SIZE"]

COLUMN_SCHEDULED: Final = 0
COLUMN_CHANNEL: Final = 1
COLUMN_STATE: Final = 2
COLUMN_TEXT: Final = 3
COLUMN_ITEM: Final = 4
COLUMN_ERROR: Final = 5
HEADERS: Final = ("予約日時", "媒体", "状態", "本文", "項目", "エラー")
TEXT_PREVIEW_CHARS: Final = 80

SORT_KEYS: Final = {
    COLUMN_SCHEDULED: SortKey.SCHEDULED,
    COLUMN_CHANNEL: SortKey.CHANNEL,
    COLUMN_STATE: SortKey.STATE,
    COLUMN_TEXT: SortKey.TEXT,
    COLUMN_ITEM: SortKey.ITEM,
    COLUMN_ERROR: SortKey.ERROR,
}

#: The `Entry` behind a row (for views and dialogs).
ENTRY_ROLE: Final = Qt.ItemDataRole.UserRole + 1


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= TEXT_PREVIEW_CHARS else line[:TEXT_PREVIEW_CHARS] + "…"


def entry_cell(policy: PostingPolicy, entry: Entry, column: int, role: int) -> Any:
    """What a queue table cell shows for ``entry`` (shared by the queue's table models)."""
    if role == Qt.ItemDataRole.DisplayRole:
        return _display(policy, entry, column)
    if role == ENTRY_ROLE:
        return entry
    if role == Qt.ItemDataRole.ToolTipRole:
        if column == COLUMN_TEXT:
            return entry.text
        if column == COLUMN_ERROR and entry.last_error:
            return entry.last_error
        return None
    if role == Qt.ItemDataRole.DecorationRole and column == COLUMN_CHANNEL:
        return channel_colour(entry.channel_key)
    if role == Qt.ItemDataRole.ForegroundRole and column == COLUMN_STATE:
        if entry.state in ATTENTION_STATES:
            return QBrush(QColor("#c62828"))
        return None
    return None


def _display(policy: PostingPolicy, entry: Entry, column: int) -> str | int | None:
    if column == COLUMN_SCHEDULED:
        return format_instant(policy.localize(entry.scheduled_at))
    if column == COLUMN_CHANNEL:
        return channel_label(entry.channel_key)
    if column == COLUMN_STATE:
        return f"{state_mark(entry.state)} {state_label(entry.state)}"
    if column == COLUMN_TEXT:
        return _first_line(entry.text)
    if column == COLUMN_ITEM:
        return f"#{entry.item_id}"
    if column == COLUMN_ERROR:
        return entry.last_error or ""
    return None


class EntryTableModel(RecordTableModel[Entry]):
    headers = HEADERS

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.set_records(entries)

    def entries(self) -> list[Entry]:
        return self.records()

    def entry_at(self, row: int) -> Entry:
        return self.record_at(row)

    def cell_data(self, entry: Entry, column: int, role: int) -> Any:
        return entry_cell(self._policy, entry, column, role)

    # -- sorting ---------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        keys = {
            COLUMN_SCHEDULED: lambda e: (e.scheduled_at, e.id),
            COLUMN_CHANNEL: lambda e: (e.channel_key, e.scheduled_at, e.id),
            COLUMN_STATE: lambda e: (e.state.value, e.scheduled_at, e.id),
            COLUMN_TEXT: lambda e: (e.text, e.id),
            COLUMN_ITEM: lambda e: (e.item_id, e.id),
            COLUMN_ERROR: lambda e: (e.last_error or "", e.id),
        }
        key = keys.get(column)
        if key is None:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_ids = [entry.id for entry in self._records] if persistent else []
        self._records.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        if persistent:
            new_rows = {entry.id: row for row, entry in enumerate(self._records)}
            moved = [self.index(new_rows[old_ids[i.row()]], i.column()) for i in persistent]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


class PagedEntryModel(PagedRecordModel[Entry]):
    """The whole queue as a table, paged from the database (``services.queries.entry_page``
    and ``entry_count``). ``sort`` (a header click) records the order and emits
    ``sortRequested``: the owner queries again."""

    sortRequested = Signal()  # noqa: N815
    headers = HEADERS

    def __init__(self, policy: PostingPolicy, parent: QObject | None = None) -> None:
        super().__init__(policy, parent)
        self.order = EntryOrder()

    def entry_at(self, row: int) -> Entry | None:
        return self.record_at(row)

    def entries(self) -> list[Entry]:
        return self.loaded_records()

    def cell_data(self, entry: Entry, column: int, role: int) -> Any:
        return entry_cell(self._policy, entry, column, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self.order = EntryOrder(key, descending=order == Qt.SortOrder.DescendingOrder)
        self.sortRequested.emit()
