"""What a calendar day shows: its lines (a time and one chip per channel entry) and how a
chip is painted."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

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
from kodaira_desktop.policy import PostingPolicy
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


@dataclass(frozen=True)
class MonthDays:
    """A month's entries grouped by day and line for drawing (built on a worker)."""

    entries: list[Entry]
    by_day: dict[date, list[Entry]]
    lines: dict[date, list[CalendarLine]]


def group_days(entries: list[Entry], policy: PostingPolicy) -> MonthDays:
    """Each day's entries, and its lines: one per time and item, channels in order."""
    by_day: dict[date, list[Entry]] = defaultdict(list)
    groups: dict[date, dict[tuple[str, int], list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        at = policy.localize(entry.scheduled_at)
        by_day[at.date()].append(entry)
        groups[at.date()][(f"{at.hour:02d}:{at.minute:02d}", entry.item_id)].append(entry)
    lines = {
        day: [
            CalendarLine(key[0], sorted(found, key=lambda e: e.channel_key))
            for key, found in sorted(day_groups.items())
        ]
        for day, day_groups in groups.items()
    }
    return MonthDays(entries, dict(by_day), lines)


def shown_lines(rect: QRect, lines: list[CalendarLine]) -> tuple[int, list[CalendarLine]]:
    """The top of the first line in a day's cell, and the lines that fit."""
    top = rect.top() + LINE_HEIGHT + 2
    room = max(0, (rect.bottom() - top) // LINE_HEIGHT)
    return top, lines if len(lines) <= room else lines[: max(0, room - 1)]


def paint_chip(painter: QPainter, box: QRectF, entry: Entry | ChipKind) -> None:
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
    return _chip_icon(entry.channel_key, entry.state, size)


@cache  # a day's list shows dozens of chips, a few kinds: each kind is painted once
def _chip_icon(channel_key: str, state: EntryState, size: int) -> QIcon:
    entry = ChipKind(channel_key, state)
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_chip(painter, QRectF(1, 1, size - 2, size - 2), entry)
    painter.end()
    return QIcon(pixmap)


@dataclass(frozen=True)
class ChipKind:
    """What a chip shows of an entry."""

    channel_key: str
    state: EntryState
