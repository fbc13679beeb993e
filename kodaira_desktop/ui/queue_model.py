"""The queue as tables: `EntryTableModel` over a short plain list of `Entry` records (an
item's entries), and `PagedEntryModel` over the whole queue, paged from the database.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

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
from kodaira_desktop.ui.record_model import AnyIndex, RecordTableModel

COLUMN_SCHEDULED: Final = 0
COLUMN_CHANNEL: Final = 1
COLUMN_STATE: Final = 2
COLUMN_TEXT: Final = 3
COLUMN_ITEM: Final = 4
COLUMN_ERROR: Final = 5
HEADERS: Final = ("予約日時", "媒体", "状態", "本文", "項目", "エラー")
TEXT_PREVIEW_CHARS: Final = 80

#: Rows fetched per query, and how many pages the table keeps (10,000 rows at most).
PAGE_SIZE: Final = 200
MAX_CACHED_PAGES: Final = 50
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
        at = policy.localize(entry.scheduled_at)  # (strftime imports `time` on each call)
        return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d}"
    if column == COLUMN_CHANNEL:
        return channel_label(entry.channel_key)
    if column == COLUMN_STATE:
        return f"{state_mark(entry.state)} {state_label(entry.state)}"
    if column == COLUMN_TEXT:
        return _first_line(entry.text)
    if column == COLUMN_ITEM:
        return entry.item_id
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


class PagedEntryModel(QAbstractTableModel):
    """The whole queue as a table, holding only the pages of rows that were looked at.

    The database filters, sorts and counts (``services.queries.entry_page``/``entry_count``);
    this model knows the row count and a bounded cache of pages. A row whose page is missing
    shows empty and asks for its page with ``pageWanted`` (the owner fetches it on a worker
    and hands it to ``add_page``). Each new query bumps ``generation`` so that late pages of
    an old query are dropped. ``sort`` (a header click) records the order and emits
    ``sortRequested``: the owner reloads.
    """

    pageWanted = Signal(int, int)  # noqa: N815 — generation, page number
    sortRequested = Signal()  # noqa: N815

    def __init__(self, policy: PostingPolicy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._total = 0
        self._pages: OrderedDict[int, list[Entry]] = OrderedDict()
        self._pending: set[int] = set()
        self.generation = 0
        self.order = EntryOrder()

    # -- filling ---------------------------------------------------------------------------

    def begin_query(self) -> int:
        """A new query starts: pages still on their way for the old one will be dropped."""
        self.generation += 1
        self._pending.clear()
        return self.generation

    def show_result(self, generation: int, total: int, first_page: Sequence[Entry]) -> bool:
        if generation != self.generation:
            return False
        self.beginResetModel()
        self._total = total
        self._pages = OrderedDict({0: list(first_page)})
        self._pending.clear()
        self.endResetModel()
        return True

    def add_page(self, generation: int, page: int, entries: Sequence[Entry]) -> None:
        if generation != self.generation:
            return
        self._pending.discard(page)
        self._pages[page] = list(entries)
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(HEADERS) - 1))

    # -- reading ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self._total

    def entry_at(self, row: int) -> Entry | None:
        """The entry on ``row`` when its page is here; otherwise None (and the page is asked
        for)."""
        if not 0 <= row < self._total:
            return None
        page, offset = divmod(row, PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._pending:
                self._pending.add(page)
                self.pageWanted.emit(self.generation, page)
            return None
        self._pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None

    def entries(self) -> list[Entry]:
        """The rows fetched so far, in table order."""
        return [entry for page in sorted(self._pages) for entry in self._pages[page]]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entry_at(index.row())
        if entry is None:
            return None
        return entry_cell(self._policy, entry, index.column(), role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self.order = EntryOrder(key, descending=order == Qt.SortOrder.DescendingOrder)
        self.sortRequested.emit()
