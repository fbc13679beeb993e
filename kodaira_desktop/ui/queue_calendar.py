"""The queue as a month calendar: each day lists its items as time + one chip per channel
(the channel's colour, the state's mark). Closed days stay grey. The list beside the calendar
shows the chosen day's entries; double-click one to open its item.

Drag an item (its line in a day, or its row in the list) onto another day to move it there at
the same time of day: a closed day is refused with the reason, otherwise
`compose.reschedule_item` runs on the TaskRunner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from PySide6.QtCore import (
    QDate,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDrag,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QIcon,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.dates_ja import format_day, format_instant
from kodaira_desktop.domain.records import Entry, Item
from kodaira_desktop.domain.states import EDITABLE_STATES, EntryState
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.calendar_drag import DraggedItem, item_mime, moved_to, read_item_mime
from kodaira_desktop.ui.channel_style import (
    ATTENTION_STATES,
    CHANNEL_LABELS,
    ERROR_COLOUR,
    OK_COLOUR,
    channel_colour,
    channel_label,
    state_label,
    state_mark,
)
from kodaira_desktop.ui.policy_calendar import CLOSED_BACKGROUND, PolicyCalendar, from_qdate
from kodaira_desktop.ui.workers import TaskRunner

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


class QueueCalendar(PolicyCalendar):
    """A PolicyCalendar that also draws the entries of each day; items can be dragged from
    one day to another (``itemDropped``)."""

    itemDropped = Signal(object, object)  # noqa: N815 — DraggedItem, the date dropped on

    def __init__(self, policy: PostingPolicy, parent: QWidget | None = None) -> None:
        super().__init__(policy, parent)
        self._by_day: dict[date, list[Entry]] = {}
        self._lines: dict[date, list[CalendarLine]] = {}
        #: Where each day was last painted (viewport coordinates): Qt keeps its own map.
        self._cells: dict[date, QRect] = {}
        self._press: tuple[QPoint, CalendarLine] | None = None
        self.drop_target: date | None = None
        self.setMinimumSize(640, 480)
        self.setAccessibleName("予約カレンダー")
        self._shrink_weekday_header()
        self._viewport = self._view_port()
        self._viewport.setAcceptDrops(True)
        self._viewport.installEventFilter(self)
        self.currentPageChanged.connect(lambda *_: self._cells.clear())

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
        self.set_days(group_days(entries, self.policy))

    def set_days(self, *months: MonthDays) -> None:
        """Months already grouped (on a worker): painting only reads the prepared lines."""
        self._by_day, self._lines = {}, {}
        for days in months:  # months never share a day
            self._by_day.update(days.by_day)
            self._lines.update(days.lines)
        self.updateCells()

    def entries_on(self, day: date) -> list[Entry]:
        return list(self._by_day.get(day, []))

    # -- where things are ------------------------------------------------------------------

    def _view_port(self) -> QWidget:
        view = self.findChild(QTableView)
        assert view is not None
        viewport = view.viewport()
        assert viewport is not None
        return viewport

    @property
    def viewport(self) -> QWidget:
        return self._viewport

    def cell_rect(self, day: date) -> QRect | None:
        return self._cells.get(day)

    def date_at(self, pos: QPoint) -> date | None:
        """The day painted under ``pos`` (viewport coordinates), in the month shown."""
        for day, rect in self._cells.items():
            if rect.contains(pos) and day.month == self.monthShown():
                return day
        return None

    def line_at(self, pos: QPoint) -> CalendarLine | None:
        day = self.date_at(pos)
        if day is None:
            return None
        top, shown = shown_lines(self._cells[day], self._lines.get(day, []))
        number = (pos.y() - top) // LINE_HEIGHT
        return shown[number] if pos.y() >= top and number < len(shown) else None

    # -- dragging --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._viewport:
            kind = event.type()
            if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
                line = self.line_at(event.position().toPoint())
                self._press = (event.position().toPoint(), line) if line else None
            elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
                return self._maybe_start_drag(event)
            elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
                assert isinstance(event, QDragMoveEvent)
                return self._drag_over(event)
            elif kind == QEvent.Type.DragLeave:
                self._set_drop_target(None)
            elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
                return self._dropped(event)
        return super().eventFilter(watched, event)

    def _maybe_start_drag(self, event: QMouseEvent) -> bool:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return False
        start, line = self._press
        distance = (event.position().toPoint() - start).manhattanLength()
        if distance < QApplication.startDragDistance() or not line.movable:
            return False
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(item_mime(line.dragged()))
        drag.setPixmap(chip_icon(line.entries[0], 20).pixmap(20, 20))
        drag.exec(Qt.DropAction.MoveAction)
        self._set_drop_target(None)
        return True

    def _drag_over(self, event: QDragMoveEvent) -> bool:
        day = self.date_at(event.position().toPoint())
        if read_item_mime(event.mimeData()) is None or day is None:
            self._set_drop_target(None)
            event.ignore()
            return True
        self._set_drop_target(day)
        event.acceptProposedAction()
        return True

    def _dropped(self, event: QDropEvent) -> bool:
        self._set_drop_target(None)
        day = self.date_at(event.position().toPoint())
        dragged = read_item_mime(event.mimeData())
        if day is None or dragged is None:
            event.ignore()
            return True
        event.acceptProposedAction()
        self.itemDropped.emit(dragged, day)
        return True

    def drop(self, mime: QMimeData, day: date) -> bool:
        """What a drop on ``day`` does (for the keyboard-less path and tests)."""
        dragged = read_item_mime(mime)
        if dragged is None:
            return False
        self.itemDropped.emit(dragged, day)
        return True

    def _set_drop_target(self, day: date | None) -> None:
        if day != self.drop_target:
            self.drop_target = day
            self.updateCells()

    # -- painting --------------------------------------------------------------------------

    def paintCell(self, painter: QPainter, rect: QRect, day: QDate) -> None:  # noqa: N802
        self._cells[from_qdate(day)] = QRect(rect)
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
        # Days of the neighbouring months shown in the grid have their entries too.
        self._paint_lines(painter, rect, self._lines.get(from_qdate(day), []), dim=not in_month)
        if self.drop_target is not None and from_qdate(day) == self.drop_target:
            outline = (
                QColor("#c62828") if closed else self.palette().color(QPalette.ColorRole.Highlight)
            )
            painter.setPen(QPen(outline, 3, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(2, 2, -3, -3))
        painter.restore()

    def _paint_lines(
        self, painter: QPainter, rect: QRect, lines: list[CalendarLine], *, dim: bool = False
    ) -> None:
        if dim:
            painter.setOpacity(0.55)
        small = QFont(painter.font())
        small.setBold(False)
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        top, shown = shown_lines(rect, lines)
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
            room = rect.right() - 4 - (x + 2)
            if room >= MIN_SNIPPET_WIDTH:  # wide cells (1920x1080): the post's first words
                snippet = painter.fontMetrics().elidedText(
                    line.snippet, Qt.TextElideMode.ElideRight, room
                )
                painter.setPen(QColor("#424242"))
                painter.drawText(
                    QRect(x + 2, y, room, LINE_HEIGHT), Qt.AlignmentFlag.AlignVCenter, snippet
                )
        if len(shown) < len(lines):
            painter.setPen(QColor("#616161"))
            y = top + len(shown) * LINE_HEIGHT
            painter.drawText(
                QRect(rect.left() + 4, y, rect.width() - 8, LINE_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter,
                f"他 {len(lines) - len(shown)} 件",
            )


def _paint_chip(painter: QPainter, box: QRectF, entry: Entry | _ChipKind) -> None:
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
    entry = _ChipKind(channel_key, state)
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint_chip(painter, QRectF(1, 1, size - 2, size - 2), entry)
    painter.end()
    return QIcon(pixmap)


@dataclass(frozen=True)
class _ChipKind:
    """What a chip shows of an entry."""

    channel_key: str
    state: EntryState


class DayList(QListWidget):
    """The chosen day's entries; a row not yet sending can be dragged to another day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAccessibleName("選んだ日の予約")
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # noqa: N802
        if not items:
            return QMimeData()
        item_id, at = items[0].data(Qt.ItemDataRole.UserRole), items[0].data(SCHEDULED_ROLE)
        return item_mime(DraggedItem(int(item_id), at))


SCHEDULED_ROLE = Qt.ItemDataRole.UserRole + 1


class QueueCalendarPanel(QWidget):
    itemOpened = Signal(int)  # noqa: N815 — Qt signal naming
    monthLoaded = Signal(int, int, int)  # noqa: N815 — year, month, entries
    #: An item was moved to another day (the views should reload).
    itemRescheduled = Signal(int)  # noqa: N815
    #: A move was refused or failed; the message is shown under the calendar.
    moveRefused = Signal(str)  # noqa: N815

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.calendar = QueueCalendar(ctx.policy)
        self.calendar.itemDropped.connect(self.move_item)
        self.day_title = QLabel()
        self.day_title.setStyleSheet("font-weight: bold;")
        self.day_list = DayList()
        # Wrap long lines instead of hiding them behind a horizontal scrollbar.
        self.day_list.setWordWrap(True)
        self.day_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.day_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.day_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.day_list.itemActivated.connect(self._open)  # Enter, or a double-click
        self.move_message = QLabel()
        self.move_message.setWordWrap(True)
        self.move_message.hide()
        legend = QLabel(
            "　".join(
                f"<span style='color:{channel_colour(k).name()}'>■</span>{label}"
                for k, label in CHANNEL_LABELS.items()
            )
            + "<br>"
            + "　／　".join(
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
        hint = QLabel(
            "ダブルクリックか Enter キーで項目を開きます（編集・取り消し）。"
            "別の日へドラッグすると、同じ時刻のまま移動します。"
        )
        hint.setWordWrap(True)
        side_layout.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.calendar)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.move_message)
        legend_row = QHBoxLayout()
        legend_row.addWidget(legend)
        layout.addLayout(legend_row)
        #: Months fetched since the last reload (the shown one and its neighbours).
        self._months: dict[tuple[int, int], MonthDays] = {}
        self._fetching: set[tuple[int, int]] = set()
        self._generation = 0
        self.calendar.show_today(ctx.policy.localize(ctx.clock.now()).date())
        #: The (year, month) whose entries are drawn, once some month's are.
        self.month_shown_with_entries: tuple[int, int] | None = None
        self.calendar.currentPageChanged.connect(self._load_month)
        self.calendar.selectionChanged.connect(self._show_day)

    def reload(self) -> None:
        """Fresh data: the month cache is emptied and the shown month fetched again."""
        self._generation += 1
        self._months.clear()
        self._load_month(self.calendar.yearShown(), self.calendar.monthShown())

    def prime(self, year: int, month: int, entries: list[Entry]) -> None:
        """Entries of a month read elsewhere (at start-up): kept, and shown if it is shown."""
        days = self._months[(year, month)] = group_days(entries, self.ctx.policy)
        if (self.calendar.yearShown(), self.calendar.monthShown()) == (year, month):
            self._show_month(year, month, days)
            QTimer.singleShot(0, self, lambda: self._prefetch_around(year, month))  # once drawn

    def _load_month(self, year: int, month: int) -> None:
        """Show the month from the cache or fetch it on a worker (an indexed range query);
        then fetch the months either side, so that switching to them draws at once."""
        cached = self._months.get((year, month))
        if cached is not None:
            self._show_month(year, month, cached)
            self._prefetch_around(year, month)
            return

        def shown(days: MonthDays) -> None:
            if (self.calendar.yearShown(), self.calendar.monthShown()) == (year, month):
                self._show_month(year, month, days)
                self._prefetch_around(year, month)

        self._fetch(year, month, shown)

    def _fetch(self, year: int, month: int, then: Callable[[MonthDays], None]) -> None:
        ctx, generation = self.ctx, self._generation
        self._fetching.add((year, month))

        def arrived(days: MonthDays) -> None:
            self._fetching.discard((year, month))
            if generation != self._generation:
                return  # fetched before a reload: stale
            self._months[(year, month)] = days
            then(days)

        def work() -> MonthDays:  # read and grouped off the GUI thread
            return group_days(read_month(ctx, year, month), ctx.policy)

        self.runner.start(work, arrived, self._load_failed)

    def _show_month(self, year: int, month: int, days: MonthDays) -> None:
        self.month_shown_with_entries = (year, month)
        self.calendar.set_days(days, *self._neighbours(year, month))
        self._show_day()
        self.monthLoaded.emit(year, month, len(days.entries))

    def _neighbours(self, year: int, month: int) -> list[MonthDays]:
        """The cached months either side: the grid shows some of their days."""
        around = (_add_months(year, month, step) for step in (-1, 1))
        return [self._months[key] for key in around if key in self._months]

    def _redraw_with_neighbours(self) -> None:
        """A neighbouring month arrived: draw its days in the grid of the month shown."""
        shown = (self.calendar.yearShown(), self.calendar.monthShown())
        days = self._months.get(shown)
        if days is not None and self.month_shown_with_entries == shown:
            self.calendar.set_days(days, *self._neighbours(*shown))
            self._show_day()

    def _prefetch_around(self, year: int, month: int) -> None:
        around = [_add_months(year, month, step) for step in (-1, 1)]
        for key in list(self._months):
            if abs(_month_index(*key) - _month_index(year, month)) > MONTHS_CACHED_AROUND:
                del self._months[key]
        for y, m in around:
            if (y, m) not in self._months and (y, m) not in self._fetching:
                self._fetch(y, m, lambda _days: self._redraw_with_neighbours())

    def _load_failed(self, message: str) -> None:
        self.day_title.setText(f"予定を読み込めませんでした：{message}")

    def _show_day(self) -> None:
        day = from_qdate(self.calendar.selectedDate())
        entries = sorted(
            self.calendar.entries_on(day), key=lambda e: (e.scheduled_at, e.channel_key)
        )
        reason = self.calendar.closed_reason(self.calendar.selectedDate())
        title = f"{format_day(day)}の予定（{len(entries)}件）"
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
            item.setData(SCHEDULED_ROLE, entry.scheduled_at)
            if entry.state not in EDITABLE_STATES:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            item.setToolTip(entry.text)
            self.day_list.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        self.itemOpened.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    # -- moving an item to another day -----------------------------------------------------

    def move_item(self, dragged: DraggedItem, day: date) -> None:
        """Same time of day on ``day``: refused here on a closed day or in the past, else
        rescheduled on a worker (the service has the last word)."""
        policy, now = self.ctx.policy, self.ctx.clock.now()
        when = moved_to(dragged.scheduled_at, day, policy.zone)
        if when == dragged.scheduled_at:
            return
        decision = policy.check(when)
        if not decision.allowed:
            refusal = policy.explain(format_instant(when), decision.reasons, decision.holiday_name)
            nxt = policy.next_allowed(max(when, now))
            self._refuse(
                f"#{dragged.item_id} を移動できません。{refusal}"
                f"次に投稿できるのは {format_instant(nxt)} です。"
            )
            return
        if when < now:
            self._refuse(f"{format_instant(when)} は過ぎているため移動できません。")
            return
        from kodaira_desktop.services import compose  # imported when first needed

        ctx, item_id = self.ctx, dragged.item_id

        def moved(_item: Item) -> None:
            self._say(f"項目 #{item_id} を {format_instant(when)} に移動しました。", ok=True)
            self.itemRescheduled.emit(item_id)

        self.runner.start(
            lambda: compose.reschedule_item(ctx, item_id, when),
            moved,
            lambda message: self._refuse(f"項目 #{item_id} を移動できませんでした：{message}"),
        )

    def _refuse(self, message: str) -> None:
        self._say(message, ok=False)
        self.moveRefused.emit(message)

    def _say(self, message: str, *, ok: bool) -> None:
        colour = OK_COLOUR if ok else ERROR_COLOUR
        self.move_message.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.move_message.setText(message)
        self.move_message.show()


#: Months kept either side of the one shown.
MONTHS_CACHED_AROUND = 2


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _add_months(year: int, month: int, step: int) -> tuple[int, int]:
    index = _month_index(year, month) + step
    return index // 12, index % 12 + 1


def read_month(ctx: AppContext, year: int, month: int) -> list[Entry]:
    """Worker body: a month's entries, and the holiday tables its grid will paint (building
    one imports the `holidays` package the first time: never on the GUI thread)."""
    from kodaira_desktop.services import queries  # start-up draws the first month without it

    for y, m in (_add_months(year, month, -1), (year, month), _add_months(year, month, 1)):
        ctx.policy.holiday_name(date(y, m, 1))
    return queries.entries_for_month(ctx, year, month)
