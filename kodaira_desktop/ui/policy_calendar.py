"""A month calendar that greys out the days the posting policy closes, and says why."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QTextCharFormat
from PySide6.QtWidgets import QBoxLayout, QCalendarWidget, QToolButton, QWidget

from kodaira_desktop.domain.dates_ja import format_month
from kodaira_desktop.policy import PostingPolicy

CLOSED_BACKGROUND = QColor("#e3e3e3")
CLOSED_FOREGROUND = QColor("#8a8a8a")


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PolicyCalendar(QCalendarWidget):
    """Closed days (土日, 祝日, 年末年始, 休業日) are grey and carry the reason as a tooltip.

    With ``closed_selectable=False`` (the composer's date picker) clicking a closed day is
    refused: the selection stays where it was and ``closedDayRefused`` is emitted.
    """

    closedDayRefused = Signal(QDate, str)  # noqa: N815 — Qt signal naming

    def __init__(
        self,
        policy: PostingPolicy,
        parent: QWidget | None = None,
        *,
        closed_selectable: bool = True,
    ) -> None:
        super().__init__(parent)
        self._policy = policy
        self._closed_selectable = closed_selectable
        self._last_open = self.selectedDate()
        self._restoring = False
        self.setLocale(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Sunday)
        self.currentPageChanged.connect(self._apply_policy_formats)
        self.currentPageChanged.connect(self._write_header)
        self.selectionChanged.connect(self._on_selection_changed)
        self._put_year_first()
        self._apply_policy_formats(self.yearShown(), self.monthShown())
        self._write_header(self.yearShown(), self.monthShown())

    def show_today(self, today: date) -> None:
        """Open on the policy zone's today (not the PC clock's date, which may differ)."""
        self.setSelectedDate(to_qdate(today))
        self.setCurrentPage(today.year, today.month)

    # -- the header: 「2026年11月」, as Japanese offices write it -----------------------------

    def _nav_button(self, name: str) -> QToolButton | None:
        return self.findChild(QToolButton, name)

    def _put_year_first(self) -> None:
        year, month = (
            self._nav_button("qt_calendar_yearbutton"),
            self._nav_button("qt_calendar_monthbutton"),
        )
        bar = self.findChild(QWidget, "qt_calendar_navigationbar")
        layout = bar.layout() if bar is not None else None
        if year is None or month is None or not isinstance(layout, QBoxLayout):
            return
        layout.removeWidget(year)
        layout.insertWidget(layout.indexOf(month), year)

    def _write_header(self, year: int, month: int) -> None:
        year_button = self._nav_button("qt_calendar_yearbutton")
        month_button = self._nav_button("qt_calendar_monthbutton")
        if year_button is not None:
            year_button.setText(f"{year}年")
            year_button.setAccessibleName(format_month(year, month))
        if month_button is not None:
            month_button.setText(f"{month}月")

    def header_text(self) -> str:
        """What the navigation bar reads, left to right (for tests and screen readers)."""
        year_button = self._nav_button("qt_calendar_yearbutton")
        month_button = self._nav_button("qt_calendar_monthbutton")
        if year_button is None or month_button is None:
            return format_month(self.yearShown(), self.monthShown())
        first, second = sorted((year_button, month_button), key=lambda b: b.x())
        return first.text() + second.text()

    @property
    def policy(self) -> PostingPolicy:
        return self._policy

    @property
    def is_restoring(self) -> bool:
        """True while a refused click is being undone (its selection changes are not the
        user's)."""
        return self._restoring

    def set_policy(self, policy: PostingPolicy) -> None:
        self._policy = policy
        self._apply_policy_formats(self.yearShown(), self.monthShown())

    def closed_reason(self, day: QDate) -> str | None:
        """The reason in Japanese when the day is closed, else None."""
        status = self._policy.day_status(from_qdate(day))
        if status.open:
            return None
        return self._policy.describe(status.reasons, status.holiday_name)

    def _apply_policy_formats(self, year: int, month: int) -> None:
        # The visible grid spans up to six weeks around the month.
        first = date(year, month, 1) - timedelta(days=7)
        self.setDateTextFormat(QDate(), QTextCharFormat())  # clear previous months
        for offset in range(50):
            day = first + timedelta(days=offset)
            status = self._policy.day_status(day)
            fmt = QTextCharFormat()
            if status.open:
                fmt.setToolTip("投稿可能日（午前8時30分〜午後5時15分）")
            else:
                fmt.setForeground(QBrush(CLOSED_FOREGROUND))
                fmt.setBackground(QBrush(CLOSED_BACKGROUND))
                fmt.setToolTip(
                    f"投稿できません：{self._policy.describe(status.reasons, status.holiday_name)}"
                )
            self.setDateTextFormat(to_qdate(day), fmt)

    def _on_selection_changed(self) -> None:
        if self._restoring:
            return
        chosen = self.selectedDate()
        reason = self.closed_reason(chosen)
        if reason is None or self._closed_selectable:
            self._last_open = chosen
            return
        # Put the previous open day back, but stay on the month the user is looking at, and
        # let the page change re-apply the shading (blocking signals here used to skip it).
        year, month = self.yearShown(), self.monthShown()
        self._restoring = True
        try:
            self.setSelectedDate(self._last_open)
            self.setCurrentPage(year, month)
        finally:
            self._restoring = False
        self.closedDayRefused.emit(chosen, reason)

    def paintCell(self, painter: QPainter, rect: QRect, day: QDate) -> None:  # noqa: N802
        if self.closed_reason(day) is not None:
            painter.save()
            painter.fillRect(rect, CLOSED_BACKGROUND)
            painter.restore()
        super().paintCell(painter, rect, day)
