"""What a calendar day shows: its lines (a time and one chip per channel entry) and how a
chip is painted."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
)

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EDITABLE_STATES, EntryState
from kodaira_desktop.ui.calendar_drag import DraggedItem
from kodaira_desktop.ui.channel_style import (
    ATTENTION_STATES,
    channel_colour,
    state_mark,
)

CHIP_SIZE = 15
LINE_HEIGHT = 18
#: The narrowest room (px) worth a few words of the post after a line's chips.
MIN_SNIPPET_WIDTH = 48


@dataclass(frozen=True)
class CalendarLine:
    """One item at one time on one day: its entries, one chip each."""

    time: str
    entries: list[Entry]

    @property
    def movable(self) -> bool:
        """Nothing of the item on this line is sending or sent."""
        states = {e.state for e in self.entries}
        return bool(states & EDITABLE_STATES) and states <= EDITABLE_STATES | {EntryState.CANCELLED}

    @property
    def snippet(self) -> str:
        """The first line of the item's text (for cells wide enough to show words)."""
        text = self.entries[0].text.strip()
        return text.splitlines()[0] if text else ""

    def dragged(self) -> DraggedItem:
        first = self.entries[0]
        return DraggedItem(first.item_id, first.scheduled_at)


def shown_lines(rect: QRect, lines: list[CalendarLine]) -> tuple[int, list[CalendarLine]]:
    """The top of the first line in a day's cell, and the lines that fit."""
    top = rect.top() + LINE_HEIGHT + 2
    room = max(0, (rect.bottom() - top) // LINE_HEIGHT)
    return top, lines if len(lines) <= room else lines[: max(0, room - 1)]


def paint_chip(painter: QPainter, box: QRectF, entry: Entry) -> None:
    colour = channel_colour(entry.channel_key)
    cancelled = entry.state == EntryState.CANCELLED
    # A cancelled chip is an outline in the channel's colour: still readable, clearly not live.
    painter.setBrush(QBrush(QColor("white") if cancelled else colour))
    outline = QColor("#c62828") if entry.state in ATTENTION_STATES else colour
    painter.setPen(QPen(outline, 2 if entry.state in ATTENTION_STATES else 1))
    painter.drawRoundedRect(box, 3, 3)
    painter.setPen(QColor("#424242") if cancelled else QColor("white"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, state_mark(entry.state))


def chip_icon(entry: Entry, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_chip(painter, QRectF(1, 1, size - 2, size - 2), entry)
    painter.end()
    return QIcon(pixmap)
