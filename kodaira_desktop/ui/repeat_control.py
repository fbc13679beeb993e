"""The composer's 「繰り返し」 control: how often, until when, and what to do on closed days,
with a preview of every occurrence (moved and left-out ones with their reasons)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.repeats import OnClosed, RepeatError, expand, fit_to_policy
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.services import compose, repeats
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.policy_calendar import from_qdate

RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAYS_JA = "月火水木金土日"
#: (label, key) of the frequencies offered; "custom" takes an RRULE typed by hand.
FREQUENCIES = (
    ("毎週（同じ曜日）", "weekly"),
    ("隔週（同じ曜日）", "biweekly"),
    ("毎月（同じ日）", "monthly"),
    ("毎月（第○曜日）", "monthly_nth"),
    ("毎日（平日）", "weekdays"),
    ("RRULE を直接入力", "custom"),
)
ON_CLOSED = (("次の開庁日の同じ時刻に移す", "next"), ("その回は投稿しない", "skip"))
#: The preview lists this many occurrences, then a count.
PREVIEW_ROWS = 8


@dataclass(frozen=True)
class RepeatChoice:
    rule: str
    until: date | None
    on_closed: OnClosed


def rule_for(key: str, start: datetime, custom: str = "") -> str:
    """The RFC 5545 rule for a frequency offered in the control, from the first occurrence."""
    day = RRULE_DAYS[start.weekday()]
    nth = (start.day - 1) // 7 + 1
    rules = {
        "weekly": f"FREQ=WEEKLY;BYDAY={day}",
        "biweekly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
        "monthly": f"FREQ=MONTHLY;BYMONTHDAY={start.day}",
        "monthly_nth": f"FREQ=MONTHLY;BYDAY=+{nth}{day}",
        "weekdays": "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
    }
    return rules.get(key, custom.strip())


def _short(when: datetime) -> str:
    return f"{when:%Y-%m-%d}（{WEEKDAYS_JA[when.weekday()]}）{when:%H:%M}"


class RepeatControl(QGroupBox):
    changed = Signal()

    def __init__(self, policy: PostingPolicy, parent: QWidget | None = None) -> None:
        super().__init__("繰り返し", parent)
        self.policy = policy
        self.start: datetime | None = None
        self.enabled = QCheckBox("繰り返し投稿する（回ごとに別の予約になります）")
        self.frequency = QComboBox()
        for label, key in FREQUENCIES:
            self.frequency.addItem(label, key)
        self.custom = QLineEdit()
        self.custom.setPlaceholderText("例: FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12")
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.on_closed = QComboBox()
        for label, key in ON_CLOSED:
            self.on_closed.addItem(label, key)
        self.preview = QLabel()
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("頻度：", self.frequency)
        form.addRow("RRULE：", self.custom)
        form.addRow("最終日：", self.until)
        form.addRow("閉庁日：", self.on_closed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.details)
        layout.addWidget(self.preview)
        self.enabled.toggled.connect(self._on_changed)
        self.frequency.currentIndexChanged.connect(self._on_changed)
        self.custom.textChanged.connect(self._on_changed)
        self.until.dateChanged.connect(self._on_changed)
        self.on_closed.currentIndexChanged.connect(self._on_changed)
        self.reset()

    # -- reading ---------------------------------------------------------------------------

    def choice(self) -> RepeatChoice | None:
        """None when the post does not repeat (or no start is known yet)."""
        if not self.enabled.isChecked() or self.start is None:
            return None
        on_closed: OnClosed = "skip" if self.on_closed.currentData() == "skip" else "next"
        rule = rule_for(self.frequency.currentData(), self.start, self.custom.text())
        return RepeatChoice(rule, from_qdate(self.until.date()), on_closed)

    # -- writing ---------------------------------------------------------------------------

    def reset(self) -> None:
        self.enabled.setChecked(False)
        self.frequency.setCurrentIndex(0)
        self.custom.clear()
        self._on_changed()

    def set_start(self, when: datetime | None) -> None:
        """The first occurrence (the composer's chosen time); the last day follows it."""
        moved = when is not None and (self.start is None or when.date() != self.start.date())
        self.start = self.policy.localize(when) if when is not None else None
        if moved and self.start is not None:
            last = self.start.date()
            self.until.setDate(QDate(last.year, last.month, last.day).addMonths(3))
        self._update_preview()

    def _on_changed(self) -> None:
        on = self.enabled.isChecked()
        self.details.setVisible(on)
        self.preview.setVisible(on)
        self.custom.setEnabled(self.frequency.currentData() == "custom")
        self._update_preview()
        self.changed.emit()

    def _update_preview(self) -> None:
        choice = self.choice()
        if choice is None:
            self.preview.clear()
            return
        assert self.start is not None
        try:
            fitted = fit_to_policy(
                expand(choice.rule, self.start, choice.until, self.policy),
                self.policy,
                choice.on_closed,
            )
        except RepeatError as error:
            self.preview.setStyleSheet("color: #b71c1c;")
            self.preview.setText(str(error))
            return
        self.preview.setStyleSheet("")
        kept = [o for o in fitted if o.when is not None]
        lines = [f"{len(kept)} 回投稿します（{choice.rule}）"]
        for occurrence in fitted[:PREVIEW_ROWS]:
            if occurrence.when is None:
                lines.append(f"× {_short(occurrence.planned)} 投稿しない（{occurrence.reason}）")
            elif occurrence.moved:
                lines.append(
                    f"→ {_short(occurrence.planned)} を {_short(occurrence.when)} に移動"
                    f"（{occurrence.reason}）"
                )
            else:
                lines.append(f"・{_short(occurrence.when)}")
        if len(fitted) > PREVIEW_ROWS:
            lines.append(f"ほか {len(fitted) - PREVIEW_ROWS} 回")
        self.preview.setText("\n".join(lines))

    def preview_lines(self) -> list[str]:
        return self.preview.text().splitlines()


def queue_repeating(
    ctx: AppContext, request: compose.ComposeRequest, choice: RepeatChoice, start: datetime
) -> tuple[compose.Submitted, int]:
    """Worker-thread body: queue every occurrence; the first item's outcome and the count."""
    at = request.at or start
    series = repeats.submit(
        ctx, replace(request, at=at), choice.rule, choice.until, choice.on_closed
    )
    return series.submitted[0], len(series.submitted)
