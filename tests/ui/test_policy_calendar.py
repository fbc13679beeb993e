"""The calendar greys out the days the policy closes and says why, as a user sees it."""

from __future__ import annotations

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.policy_calendar import CLOSED_BACKGROUND, PolicyCalendar


def cell_tooltip(calendar: PolicyCalendar, day: QDate) -> str:
    """The tooltip the calendar's own grid shows for the day, found through its view."""
    view = calendar.findChild(QTableView)
    assert view is not None
    model = view.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if model.data(index, Qt.ItemDataRole.DisplayRole) == day.day():
                rect = view.visualRect(index)
                if (
                    view.indexAt(rect.center()) == index
                    and _date_at(calendar, view, rect.center()) == day
                ):
                    return str(model.data(index, Qt.ItemDataRole.ToolTipRole) or "")
    raise AssertionError(f"{day.toString()} is not shown")


def _date_at(calendar: PolicyCalendar, view: QTableView, point: QPoint) -> QDate:
    # A cell shows only a day number: days in the top rows above 20 belong to the previous
    # month and days in the bottom rows below 15 to the next one.
    index = view.indexAt(point)
    first = QDate(calendar.yearShown(), calendar.monthShown(), 1)
    day_number = int(index.data(Qt.ItemDataRole.DisplayRole))
    if index.row() <= 2 and day_number > 20:
        return first.addMonths(-1).addDays(day_number - 1)
    if index.row() >= 4 and day_number < 15:
        return first.addMonths(1).addDays(day_number - 1)
    return first.addDays(day_number - 1)


def make_calendar(qtbot: QtBot, year: int, month: int, **kwargs: bool) -> PolicyCalendar:
    calendar = PolicyCalendar(PostingPolicy.default(), **kwargs)
    qtbot.addWidget(calendar)
    calendar.setCurrentPage(year, month)
    calendar.show()
    qtbot.waitExposed(calendar)
    return calendar


def test_holiday_is_grey_with_its_name(qtbot: QtBot) -> None:
    calendar = make_calendar(qtbot, 2026, 11)
    labour_day = QDate(2026, 11, 23)
    fmt = calendar.dateTextFormat(labour_day)
    assert fmt.background().color() == CLOSED_BACKGROUND
    assert "勤労感謝の日" in cell_tooltip(calendar, labour_day)
    assert "祝日" in fmt.toolTip()


def test_weekend_and_year_end_are_grey_with_reasons(qtbot: QtBot) -> None:
    calendar = make_calendar(qtbot, 2026, 12)
    saturday = QDate(2026, 12, 5)
    assert calendar.dateTextFormat(saturday).background().color() == CLOSED_BACKGROUND
    assert "土日" in cell_tooltip(calendar, saturday)
    closure = QDate(2026, 12, 29)  # a Tuesday
    assert calendar.dateTextFormat(closure).background().color() == CLOSED_BACKGROUND
    assert "年末年始" in cell_tooltip(calendar, closure)


def test_open_days_are_not_grey(qtbot: QtBot) -> None:
    calendar = make_calendar(qtbot, 2026, 11)
    wednesday = QDate(2026, 11, 25)
    assert calendar.dateTextFormat(wednesday).background().color() != CLOSED_BACKGROUND
    assert "投稿可能日" in cell_tooltip(calendar, wednesday)


def test_turning_the_page_greys_the_new_month(qtbot: QtBot) -> None:
    calendar = make_calendar(qtbot, 2026, 11)
    calendar.showNextMonth()
    calendar.showNextMonth()
    new_year = QDate(2027, 1, 1)
    assert "元日" in calendar.dateTextFormat(new_year).toolTip()
    assert "年末年始" in cell_tooltip(calendar, new_year)


def test_a_picker_refuses_closed_days(qtbot: QtBot) -> None:
    calendar = make_calendar(qtbot, 2026, 11, closed_selectable=False)
    calendar.setSelectedDate(QDate(2026, 11, 25))
    with qtbot.waitSignal(calendar.closedDayRefused) as refused:
        calendar.setSelectedDate(QDate(2026, 11, 23))
    assert "勤労感謝の日" in refused.args[1]
    assert calendar.selectedDate() == QDate(2026, 11, 25)
