"""Filling the chief screens' small read-only tables (チャンネル, 職員) the same way."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem


def fill_table(
    table: QTableWidget,
    rows: Sequence[tuple[Sequence[str], str]],
    *,
    status_column: int,
    stretch_column: int,
) -> None:
    """One row per ``(cells, colour)``; the status column's text takes ``colour``."""
    table.setRowCount(len(rows))
    for row, (cells, colour) in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == status_column:
                item.setForeground(QColor(colour))
            table.setItem(row, column, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)


def select_row(table: QTableWidget, keys: Sequence[str], key: str | None) -> None:
    """Select the row whose key is ``key`` (nothing when it is not shown)."""
    if key is not None and key in keys:
        table.selectRow(list(keys).index(key))
