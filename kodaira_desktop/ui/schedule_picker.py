"""The composer's date and time: closed days cannot be picked, times stay in the window.

Until the user touches it the picker shows the next allowed slot and `chosen_at` returns None,
so the service picks the next allowed instant when the item is queued. A forbidden time typed
by hand is refused with a message naming the next allowed instant and a button to take it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.dispatch.clock import Clock
from kodaira_desktop.domain.dates_ja import format_day, format_instant
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR
from kodaira_desktop.ui.policy_calendar import PolicyCalendar, from_qdate, to_qdate

SLOT_MINUTES = 15
_TIME_RE = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")


def parse_time(text: str) -> time | None:
    match = _TIME_RE.match(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def window_slots(start: time, end: time, step_minutes: int = SLOT_MINUTES) -> list[str]:
    """Every slot from the window's start to its end, inclusive: 08:30, 08:45 … 17:15."""
    slots: list[str] = []
    cursor = datetime.combine(date(2000, 1, 1), start)
    last = datetime.combine(date(2000, 1, 1), end)
    while cursor <= last:
        slots.append(f"{cursor:%H:%M}")
        cursor += timedelta(minutes=step_minutes)
    if slots[-1] != f"{end:%H:%M}":
        slots.append(f"{end:%H:%M}")
    return slots


class SchedulePicker(QWidget):
    #: The chosen instant or its validity changed.
    changed = Signal()

    def __init__(self, policy: PostingPolicy, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._clock = clock
        self._auto = True
        self._problem: str | None = None
        self._suggestion: datetime | None = None
        self._updating = False
        self._typed = False
        self._refused = False

        self.calendar = PolicyCalendar(policy, closed_selectable=False)
        self.calendar.setMinimumSize(300, 220)
        self.calendar.setAccessibleName("予約日")
        self.time_box = QComboBox()
        self.time_box.setEditable(True)
        self.time_box.setAccessibleName("予約時刻")
        self.time_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_box.addItems(window_slots(policy.config.start, policy.config.end))
        self.time_box.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^\d{0,2}[:：]?\d{0,2}$"))
        )
        self.time_box.setToolTip(f"投稿できる時間は {policy.hours_text()} です。")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.use_suggestion = QPushButton("次の投稿可能時刻にする")
        self.use_suggestion.clicked.connect(self.accept_suggestion)

        time_row = QHBoxLayout()
        time_row.addWidget(QLabel("時刻"))
        time_row.addWidget(self.time_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        layout.addLayout(time_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.use_suggestion)

        self.calendar.closedDayRefused.connect(self._on_closed_day_refused)
        self.calendar.selectionChanged.connect(self._on_user_change)
        self.time_box.activated.connect(self._on_user_change)
        line_edit = self.time_box.lineEdit()
        assert line_edit is not None
        line_edit.textEdited.connect(self._on_time_typed)
        line_edit.editingFinished.connect(self._on_time_entered)
        self.reset_to_next_slot()

    # -- reading ---------------------------------------------------------------------------

    @property
    def is_automatic(self) -> bool:
        return self._auto

    @property
    def problem(self) -> str | None:
        return self._problem

    @property
    def suggestion(self) -> datetime | None:
        return self._suggestion

    def shown_at(self) -> datetime | None:
        """The instant the picker shows (policy zone), or None when the time is unreadable."""
        chosen = parse_time(self.time_box.currentText())
        if chosen is None:
            return None
        return datetime.combine(from_qdate(self.calendar.selectedDate()), chosen).replace(
            tzinfo=self._policy.zone
        )

    def chosen_at(self) -> datetime | None:
        """None while the default applies (the service then takes the next allowed instant)."""
        return None if self._auto else self.shown_at()

    def chosen_parts(self) -> tuple[str, str] | None:
        if self._auto:
            return None
        return self.calendar.selectedDate().toString("yyyy-MM-dd"), self.time_box.currentText()

    # -- writing ---------------------------------------------------------------------------

    def reset_to_next_slot(self) -> None:
        """Show the next allowed instant and follow it until the user picks something."""
        nxt = self._policy.next_allowed(self._clock.now())
        self._show(nxt)
        self._auto = True
        self._validate()

    def refresh_default(self) -> None:
        """Move the shown default forward as time passes (only while it is the default)."""
        if self._auto:
            self.reset_to_next_slot()

    def set_chosen(self, when: datetime) -> None:
        self._show(self._policy.localize(when))
        self._auto = False
        self._validate()

    def restore(self, day: str | None, clock_text: str | None) -> None:
        if day is None or clock_text is None:
            self.reset_to_next_slot()
            return
        qdate = QDate.fromString(day, "yyyy-MM-dd")
        if not qdate.isValid():
            self.reset_to_next_slot()
            return
        self._updating = True
        self.calendar.setSelectedDate(qdate)
        self.time_box.setEditText(clock_text)
        self._updating = False
        self._auto = False
        self._validate()

    def accept_suggestion(self) -> None:
        if self._suggestion is not None:
            self.set_chosen(self._suggestion)

    # -- internals -------------------------------------------------------------------------

    def _show(self, when: datetime) -> None:
        local = self._policy.localize(when)
        today = self._policy.localize(self._clock.now()).date()
        self._updating = True
        self.calendar.setMinimumDate(to_qdate(today))
        self.calendar.setSelectedDate(to_qdate(local.date()))
        self.calendar.setCurrentPage(local.year, local.month)
        self.time_box.setEditText(f"{local:%H:%M}")
        self._updating = False

    def _on_user_change(self) -> None:
        if self.calendar.is_restoring:
            return
        if self._refused:  # the calendar put the previous day back: nothing changed
            self._refused = False
            return
        if self._updating:
            return
        self._auto = False
        self._validate()

    def _on_time_typed(self) -> None:
        self._typed = True

    def _on_time_entered(self) -> None:
        if self._typed:
            self._typed = False
            self._on_user_change()

    def _on_closed_day_refused(self, day: QDate, _reason: str) -> None:
        """The selection stays on the previous (open) day; say why the click was refused and
        offer the next allowed day at the chosen time, with the same button as a bad time."""
        self._refused = True
        chosen_time = parse_time(self.time_box.currentText()) or self._policy.config.start
        wanted = datetime.combine(from_qdate(day), chosen_time).replace(tzinfo=self._policy.zone)
        nxt = self._policy.next_allowed(max(wanted, self._clock.now()))
        self._suggestion = nxt
        status = self._policy.day_status(from_qdate(day))
        refusal = self._policy.explain(
            format_day(from_qdate(day)), status.reasons, status.holiday_name
        )
        self.message.setText(f"{refusal}次に投稿できるのは {format_instant(nxt)} です。")
        self.message.setVisible(True)
        self.use_suggestion.setVisible(True)

    def _validate(self) -> None:
        when = self.shown_at()
        if when is None:
            self._set_problem(
                f"時刻「{self.time_box.currentText()}」が読めません。"
                "「09:30」のように入力してください。",
                self._policy.next_allowed(self._clock.now()),
            )
            self.changed.emit()
            return
        now = self._clock.now()
        decision = self._policy.check(when)
        if when < now - timedelta(minutes=1) and not self._auto:
            self._set_problem(
                f"{format_instant(when)} は過ぎています。",
                self._policy.next_allowed(now),
            )
        elif not decision.allowed:
            nxt = self._policy.next_allowed(max(when, now))
            refusal = self._policy.explain(
                format_instant(when), decision.reasons, decision.holiday_name
            )
            self._set_problem(
                f"{refusal}次に投稿できるのは {format_instant(nxt)} です。",
                nxt,
            )
        else:
            self._set_problem(None, None)
        self.summary.setText(
            f"予約日時：{format_instant(when)}" + ("（次の投稿可能時刻）" if self._auto else "")
        )
        self.summary.setStyleSheet(f"color: {MUTED_COLOUR};" if self._auto else "")
        self.changed.emit()

    def _set_problem(self, message: str | None, suggestion: datetime | None) -> None:
        self._problem = message
        self._suggestion = suggestion
        self.message.setText(message or "")
        self.message.setVisible(message is not None)
        self.use_suggestion.setVisible(suggestion is not None)
