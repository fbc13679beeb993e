"""The queue as a month calendar: each day lists its items as time + one chip per channel
(the channel's colour, the state's mark). Closed days stay grey. The list under the calendar
shows the chosen day's entries; double-click one to open its item."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.services import queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import (
    ATTENTION_STATES,
    CHANNEL_LABELS,
    channel_colour,
    channel_label,
    state_label,
    state_mark,
)
from kodaira_desktop.ui.policy_calendar import CLOSED_BACKGROUND, PolicyCalendar, from_qdate
from kodaira_desktop.ui.workers import TaskRunner

CHIP_SIZE = 15
LINE_HEIGHT = 18


@dataclass(frozen=True)
class CalendarLine:
    """One item at one time on one day: its entries, one chip each."""

    time: str
    entries: list[Entry]


class QueueCalendar(PolicyCalendar):
    """A PolicyCalendar that also draws the entries of each day."""

    def __init__(self, policy: PostingPolicy, parent: QWidget | None = None) -> None:
        super().__init__(policy, parent)
        self._by_day: dict[date, list[Entry]] = {}
        self._lines: dict[date, list[CalendarLine]] = {}
        self.setMinimumSize(640, 480)
        self._shrink_weekday_header()

    def _shrink_weekday_header(self) -> None:
        """QCalendarWidget gives the weekday row a whole week's height; keep it one line."""
        view = self.findChild(QTableView)
        if view is None:
            return
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        rows.resizeSection(0, 26)

    def set_entries(self, entries: list[Entry]) -> None:
        """Group once here; painting only reads the prepared lines."""
        by_day: dict[date, list[Entry]] = defaultdict(list)
        groups: dict[date, dict[tuple[str, int], list[Entry]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for entry in entries:
            at = self.policy.localize(entry.scheduled_at)
            by_day[at.date()].append(entry)
            groups[at.date()][(f"{at:%H:%M}", entry.item_id)].append(entry)
        self._by_day = dict(by_day)
        self._lines = {
            day: [
                CalendarLine(key[0], sorted(found, key=lambda e: e.channel_key))
                for key, found in sorted(day_groups.items())
            ]
            for day, day_groups in groups.items()
        }
        self.updateCells()

    def entries_on(self, day: date) -> list[Entry]:
        return list(self._by_day.get(day, []))

    def paintCell(self, painter: QPainter, rect: QRect, day: QDate) -> None:  # noqa: N802
        painter.save()
        closed = self.closed_reason(day) is not None
        in_month = day.month() == self.monthShown()
        selected = day == self.selectedDate()
        background = CLOSED_BACKGROUND if closed else QColor("white")
        painter.fillRect(rect, background)
        if selected:
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        number_font = QFont(painter.font())
        number_font.setBold(selected)
        painter.setFont(number_font)
        painter.setPen(QColor("#9e9e9e") if closed or not in_month else QColor("#212121"))
        painter.drawText(
            rect.adjusted(4, 2, -4, 0),
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
            str(day.day()),
        )
        holiday = self.policy.holiday_name(from_qdate(day))
        if holiday and in_month:
            small = QFont(painter.font())
            small.setBold(False)
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
            painter.setFont(small)
            painter.setPen(QColor("#c62828"))
            painter.drawText(
                rect.adjusted(26, 3, -4, 0),
                Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
                holiday,
            )
        if in_month:
            self._paint_lines(painter, rect, self._lines.get(from_qdate(day), []))
        painter.restore()

    def _paint_lines(self, painter: QPainter, rect: QRect, lines: list[CalendarLine]) -> None:
        small = QFont(painter.font())
        small.setBold(False)
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        top = rect.top() + LINE_HEIGHT + 2
        room = max(0, (rect.bottom() - top) // LINE_HEIGHT)
        shown = lines if len(lines) <= room else lines[: max(0, room - 1)]
        for number, line in enumerate(shown):
            y = top + number * LINE_HEIGHT
            painter.setPen(QColor("#424242"))
            painter.drawText(
                QRect(rect.left() + 4, y, 40, LINE_HEIGHT), Qt.AlignmentFlag.AlignVCenter, line.time
            )
            x = rect.left() + 44
            for entry in line.entries:
                if x + CHIP_SIZE > rect.right() - 2:
                    break
                _paint_chip(painter, QRectF(x, y + 1, CHIP_SIZE, CHIP_SIZE), entry)
                x += CHIP_SIZE + 2
        if len(shown) < len(lines):
            painter.setPen(QColor("#616161"))
            y = top + len(shown) * LINE_HEIGHT
            painter.drawText(
                QRect(rect.left() + 4, y, rect.width() - 8, LINE_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter,
                f"他 {len(lines) - len(shown)} 件",
            )


def _paint_chip(painter: QPainter, box: QRectF, entry: Entry) -> None:
    colour = channel_colour(entry.channel_key)
    if entry.state == EntryState.CANCELLED:
        colour = QColor("#bdbdbd")
    painter.setBrush(QBrush(colour))
    outline = QColor("#c62828") if entry.state in ATTENTION_STATES else colour
    painter.setPen(QPen(outline, 2 if entry.state in ATTENTION_STATES else 1))
    painter.drawRoundedRect(box, 3, 3)
    painter.setPen(QColor("white"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, state_mark(entry.state))


def chip_icon(entry: Entry, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint_chip(painter, QRectF(1, 1, size - 2, size - 2), entry)
    painter.end()
    return QIcon(pixmap)


class QueueCalendarPanel(QWidget):
    itemOpened = Signal(int)  # noqa: N815 — Qt signal naming
    monthLoaded = Signal(int, int, int)  # noqa: N815 — year, month, entries

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.calendar = QueueCalendar(ctx.policy)
        self.day_title = QLabel()
        self.day_title.setStyleSheet("font-weight: bold;")
        self.day_list = QListWidget()
        self.day_list.itemDoubleClicked.connect(self._open)
        legend = QLabel(
            "　".join(
                f"<span style='color:{channel_colour(k).name()}'>■</span>{label}"
                for k, label in CHANNEL_LABELS.items()
            )
            + "<br>"
            + "　".join(
                f"{state_mark(s)} {state_label(s)}"
                for s in (
                    EntryState.SCHEDULED,
                    EntryState.AWAITING_APPROVAL,
                    EntryState.SENDING,
                    EntryState.PUBLISHED,
                    EntryState.FAILED,
                    EntryState.HELD,
                    EntryState.CANCELLED,
                )
            )
        )
        legend.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.day_title)
        side_layout.addWidget(self.day_list, 1)
        side_layout.addWidget(QLabel("ダブルクリックで項目を開きます（編集・取り消し）。"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.calendar)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        legend_row = QHBoxLayout()
        legend_row.addWidget(legend)
        layout.addLayout(legend_row)
        self.calendar.currentPageChanged.connect(self._load_month)
        self.calendar.selectionChanged.connect(self._show_day)

    def reload(self) -> None:
        self._load_month(self.calendar.yearShown(), self.calendar.monthShown())

    def _load_month(self, year: int, month: int) -> None:
        """Fetch the month on a worker; a late answer for a month no longer shown is dropped."""
        ctx = self.ctx

        def arrived(entries: list[Entry]) -> None:
            if (self.calendar.yearShown(), self.calendar.monthShown()) != (year, month):
                return
            self.calendar.set_entries(entries)
            self._show_day()
            self.monthLoaded.emit(year, month, len(entries))

        self.runner.start(
            lambda: queries.entries_for_month(ctx, year, month), arrived, self._load_failed
        )

    def _load_failed(self, message: str) -> None:
        self.day_title.setText(f"予定を読み込めませんでした：{message}")

    def _show_day(self) -> None:
        day = from_qdate(self.calendar.selectedDate())
        entries = sorted(
            self.calendar.entries_on(day), key=lambda e: (e.scheduled_at, e.channel_key)
        )
        reason = self.calendar.closed_reason(self.calendar.selectedDate())
        title = f"{day.month}月{day.day}日の予定（{len(entries)}件）"
        self.day_title.setText(title + (f" ― 投稿できない日：{reason}" if reason else ""))
        self.day_list.clear()
        for entry in entries:
            at = self.ctx.policy.localize(entry.scheduled_at)
            first_line = entry.text.strip().splitlines()[0] if entry.text.strip() else ""
            item = QListWidgetItem(
                chip_icon(entry),
                f"{at:%H:%M}　{channel_label(entry.channel_key)}　{state_label(entry.state)}\n"
                f"　#{entry.item_id} {first_line[:40]}",
            )
            item.setData(Qt.ItemDataRole.UserRole, entry.item_id)
            item.setToolTip(entry.text)
            self.day_list.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        self.itemOpened.emit(int(item.data(Qt.ItemDataRole.UserRole)))
