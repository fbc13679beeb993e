"""One way of writing dates and times, as Japanese offices write them.

「2026年12月1日（火）10:00」 in tables, filters, dialogs and messages; 「2026年11月」 in calendar
headers. Always a 24-hour clock (17:15), never 午後5時15分 beside it. Callers convert to the
policy's zone first: these functions print the wall time they are given.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

WEEKDAYS_JA = "月火水木金土日"


def format_month(year: int, month: int) -> str:
    """「2026年11月」."""
    return f"{year}年{month}月"


def format_day(day: date) -> str:
    """「2026年12月1日（火）」."""
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"


def format_instant(when: datetime, *, seconds: bool = False) -> str:
    """「2026年12月1日（火）10:00」 (with seconds for the audit log)."""
    # Plain formatting, not strftime: a table formats thousands of these while scrolling.
    clock = f"{when.hour:02d}:{when.minute:02d}"
    if seconds:
        clock += f":{when.second:02d}"
    return f"{format_day(when.date())}{clock}"


def format_range(start: datetime, end: datetime) -> str:
    """「2026年12月1日（火）18:00〜20:00」, or both days when the range crosses midnight."""
    if start.date() == end.date():
        return f"{format_instant(start)}〜{end.hour:02d}:{end.minute:02d}"
    return f"{format_instant(start)}〜{format_instant(end)}"


def format_ago(elapsed: timedelta) -> str:
    """「たった今」「45秒前」「3分前」「2時間前」「4日前」: how long ago, roughly."""
    seconds = int(elapsed.total_seconds())
    if seconds < 10:
        return "たった今"
    if seconds < 60:
        return f"{seconds}秒前"
    if seconds < 3600:
        return f"{seconds // 60}分前"
    if seconds < 86_400:
        return f"{seconds // 3600}時間前"
    return f"{seconds // 86_400}日前"
