"""The month grid of the queue calendar: each day lists its items as time + one chip per
channel; a line is dragged to another day to move its item."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QMimeData, QObject, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QTableView,
    QWidget,
)

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.calendar_drag import item_mime, read_item_mime
from kodaira_desktop.ui.calendar_lines import (
    CHIP_SIZE,
    LINE_HEIGHT,
    MIN_SNIPPET_WIDTH,
    CalendarLine,
    MonthDays,
    chip_icon,
    group_days,
    paint_chip,
    shown_lines,
)
from kodaira_desktop.ui.policy_calendar import CLOSED_BACKGROUND, PolicyCalendar, from_qdate


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
                paint_chip(painter, QRectF(x, y + 1, CHIP_SIZE, CHIP_SIZE), entry)
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
