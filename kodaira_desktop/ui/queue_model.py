"""The queue as a table: a thin model over a plain list of `Entry` records, and a proxy that
filters by channel, state and date.

Sorting is done by the source model on its list (one Python sort, fast for 100,000 rows);
the proxy only filters, reading the records directly rather than through ``data()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Final

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.channel_style import (
    ATTENTION_STATES,
    channel_colour,
    channel_label,
    state_label,
    state_mark,
)
from kodaira_desktop.ui.record_model import AnyIndex, RecordTableModel

COLUMN_SCHEDULED: Final = 0
COLUMN_CHANNEL: Final = 1
COLUMN_STATE: Final = 2
COLUMN_TEXT: Final = 3
COLUMN_ITEM: Final = 4
COLUMN_ERROR: Final = 5
HEADERS: Final = ("予約日時", "媒体", "状態", "本文", "項目", "エラー")
TEXT_PREVIEW_CHARS: Final = 80

#: The `Entry` behind a row (for views and dialogs).
ENTRY_ROLE: Final = Qt.ItemDataRole.UserRole + 1


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= TEXT_PREVIEW_CHARS else line[:TEXT_PREVIEW_CHARS] + "…"


class EntryTableModel(RecordTableModel[Entry]):
    headers = HEADERS

    def set_entries(self, entries: Sequence[Entry]) -> None:
        self.set_records(entries)

    def entries(self) -> list[Entry]:
        return self.records()

    def entry_at(self, row: int) -> Entry:
        return self.record_at(row)

    def cell_data(self, entry: Entry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
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

    def _display(self, entry: Entry, column: int) -> str | int | None:
        if column == COLUMN_SCHEDULED:
            return format_instant(self._policy.localize(entry.scheduled_at))
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


class EntryFilterProxy(QSortFilterProxyModel):
    """Filters by channel key, state and a date range (in the policy's zone).

    Sorting is delegated to the source model, so the proxy keeps the source order.
    """

    def __init__(self, policy: PostingPolicy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._channel: str | None = None
        self._states: frozenset[EntryState] | None = None
        self._start: datetime | None = None
        self._end: datetime | None = None

    def _begin_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateRowsFilter before it
            self.beginFilterChange()

    def _end_filter_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover — Qt < 6.9
            self.invalidateRowsFilter()

    def set_channel(self, key: str | None) -> None:
        self._begin_filter_change()
        self._channel = key
        self._end_filter_change()

    def set_states(self, states: frozenset[EntryState] | None) -> None:
        self._begin_filter_change()
        self._states = states
        self._end_filter_change()

    def set_date_range(self, first: date | None, last: date | None) -> None:
        """Inclusive days in the policy's zone; None leaves that side open."""
        zone = self._policy.zone
        self._begin_filter_change()
        self._start = datetime(first.year, first.month, first.day, tzinfo=zone) if first else None
        self._end = (
            datetime(last.year, last.month, last.day, 23, 59, 59, 999999, tzinfo=zone)
            if last
            else None
        )
        self._end_filter_change()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, EntryTableModel):
            return True
        entry = model.entry_at(source_row)
        if self._channel is not None and entry.channel_key != self._channel:
            return False
        if self._states is not None and entry.state not in self._states:
            return False
        if self._start is not None and entry.scheduled_at < self._start:
            return False
        return self._end is None or entry.scheduled_at <= self._end

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    def entry_at(self, index: QModelIndex) -> Entry | None:
        value = self.data(index, ENTRY_ROLE)
        return value if isinstance(value, Entry) else None
