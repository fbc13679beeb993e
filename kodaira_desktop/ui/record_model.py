"""Read-only tables of records: over a plain list, or paged from the database; and the view
set-up they share."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from kodaira_desktop.policy import PostingPolicy

AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records, columns are ``headers``; subclasses say what each cell shows in
    ``cell_data``."""

    headers: tuple[str, ...] = ()

    def __init__(self, policy: PostingPolicy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._records: list[R] = []

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[R]:
        return list(self._records)

    def record_at(self, row: int) -> R:
        return self._records[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        return self.cell_data(self._records[index.row()], index.column(), role)

    def cell_data(self, record: R, column: int, role: int) -> Any:
        raise NotImplementedError


#: Rows fetched per query, and how many pages a paged table keeps (10,000 rows at most).
PAGE_SIZE = 200
MAX_CACHED_PAGES = 50


class PagedRecordModel(QAbstractTableModel, Generic[R]):
    """A table over many records, holding only the pages of rows that were looked at.

    The database filters, sorts and counts; this model knows the row count and a bounded cache
    of pages. A row whose page is missing shows empty and asks for its page with ``pageWanted``
    (the owner fetches it on a worker and hands it to ``add_page``). Each new query bumps
    ``generation`` so that late pages of an old query are dropped. Subclasses say what each
    cell shows in ``cell_data``.
    """

    pageWanted = Signal(int, int)  # noqa: N815 — generation, page number
    headers: tuple[str, ...] = ()

    def __init__(self, policy: PostingPolicy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._total = 0
        self._pages: OrderedDict[int, list[R]] = OrderedDict()
        self._pending: set[int] = set()
        self.generation = 0

    # -- filling ---------------------------------------------------------------------------

    def begin_query(self) -> int:
        """A new query starts: pages still on their way for the old one will be dropped."""
        self.generation += 1
        self._pending.clear()
        return self.generation

    def show_result(self, generation: int, total: int, first_page: Sequence[R]) -> bool:
        if generation != self.generation:
            return False
        self.beginResetModel()
        self._total = total
        self._pages = OrderedDict({0: list(first_page)})
        self._pending.clear()
        self.endResetModel()
        return True

    def add_page(self, generation: int, page: int, records: Sequence[R]) -> None:
        if generation != self.generation:
            return
        self._pending.discard(page)
        self._pages[page] = list(records)
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.headers) - 1))

    # -- reading ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self._total

    def record_at(self, row: int) -> R | None:
        """The record on ``row`` when its page is here; otherwise None (and the page is asked
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

    def loaded_records(self) -> list[R]:
        """The rows fetched so far, in table order."""
        return [record for page in sorted(self._pages) for record in self._pages[page]]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.record_at(index.row())
        if record is None:
            return None
        return self.cell_data(record, index.column(), role)

    def cell_data(self, record: R, column: int, role: int) -> Any:
        raise NotImplementedError


def record_table_view(
    model: QAbstractItemModel, stretch_column: int, widths: Mapping[int, int]
) -> QTableView:
    """A read-only table of records: whole rows selected, compact fixed-height rows, one
    column stretched to the remaining width."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    for column, width in widths.items():
        view.setColumnWidth(column, width)
    return view
