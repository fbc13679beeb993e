"""A month calendar that greys out the days the posting policy closes, and says why."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QWidget

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
        self.setLocale(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Sunday)
        self.currentPageChanged.connect(self._apply_policy_formats)
        self.selectionChanged.connect(self._on_selection_changed)
        self._apply_policy_formats(self.yearShown(), self.monthShown())

    @property
    def policy(self) -> PostingPolicy:
        return self._policy

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
        chosen = self.selectedDate()
        reason = self.closed_reason(chosen)
        if reason is None or self._closed_selectable:
            self._last_open = chosen
            return
        self.closedDayRefused.emit(chosen, reason)
        self.blockSignals(True)
        self.setSelectedDate(self._last_open)
        self.blockSignals(False)

    def paintCell(self, painter: QPainter, rect: QRect, day: QDate) -> None:  # noqa: N802
        if self.closed_reason(day) is not None:
            painter.save()
            painter.fillRect(rect, CLOSED_BACKGROUND)
            painter.restore()
        super().paintCell(painter, rect, day)
