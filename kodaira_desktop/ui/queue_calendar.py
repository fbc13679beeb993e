"""The queue as a month calendar: each day lists its items as time + one chip per channel
(the channel's colour, the state's mark). Closed days stay grey. The list beside the calendar
shows the chosen day's entries; double-click one to open its item.

Drag an item (its line in a day, or its row in the list) onto another day to move it there at
the same time of day: a closed day is refused with the reason, otherwise
`compose.reschedule_item` runs on the TaskRunner."""

from kodaira_desktop.ui.calendar_lines import (
    CHIP_SIZE,
    LINE_HEIGHT,
    MIN_SNIPPET_WIDTH,
    CalendarLine,
    MonthDays,
    chip_icon,
    group_days,
    shown_lines,
)
from kodaira_desktop.ui.calendar_panel import (
    MONTHS_CACHED_AROUND,
    DayList,
    QueueCalendarPanel,
    read_month,
)
from kodaira_desktop.ui.month_grid import QueueCalendar

__all__ = [
    "CHIP_SIZE",
    "LINE_HEIGHT",
    "MIN_SNIPPET_WIDTH",
    "MONTHS_CACHED_AROUND",
    "CalendarLine",
    "DayList",
    "MonthDays",
    "QueueCalendar",
    "QueueCalendarPanel",
    "chip_icon",
    "group_days",
    "read_month",
    "shown_lines",
]
