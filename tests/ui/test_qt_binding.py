"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 drops a reference to None on every QCalendarWidget.setDateTextFormat call;
on Python 3.11 the interpreter then aborts at exit, after the tests have "passed".
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QDate
from PySide6.QtGui import QTextCharFormat
from pytestqt.qtbot import QtBot

from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.policy_calendar import PolicyCalendar


def test_calendar_formats_keep_none_alive(qtbot: QtBot) -> None:
    calendar = PolicyCalendar(PostingPolicy.default())
    qtbot.addWidget(calendar)
    before = sys.getrefcount(None)
    for _ in range(500):
        calendar.setDateTextFormat(QDate(2026, 1, 1), QTextCharFormat())
    assert sys.getrefcount(None) - before > -50
