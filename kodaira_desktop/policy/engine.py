"""Deciding whether an instant is inside the posting window, and the next one that is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from kodaira_desktop.policy.config import PolicyConfig, PolicyError

#: How far ahead next_allowed looks before concluding the policy never opens.
_SEARCH_DAYS = 3 * 366

REASON_LABELS_JA: dict[str, str] = {
    "weekend": "土日",
    "holiday": "祝日",
    "year_end": "年末年始",
    "closed_day": "休業日",
    "before_hours": "投稿時間前（午前8時30分から）",
    "after_hours": "投稿時間後（午後5時15分まで）",
}


@dataclass(frozen=True)
class DayStatus:
    day: date
    open: bool
    reasons: tuple[str, ...]
    holiday_name: str | None


@dataclass(frozen=True)
class Decision:
    when: datetime
    allowed: bool
    reasons: tuple[str, ...]
    holiday_name: str | None


class PostingPolicy:
    """The rule that decides when the city may post.

    Day statuses are cached per date and holiday tables per year, so calendars and queue
    tables may ask for every cell without rebuilding anything.
    """

    def __init__(self, config: PolicyConfig | None = None) -> None:
        self.config = config or PolicyConfig()
        try:
            self.zone = ZoneInfo(self.config.timezone)
        except (KeyError, ValueError) as exc:
            raise PolicyError(
                f"unknown time zone {self.config.timezone!r}", key="timezone"
            ) from exc
        if self.config.start >= self.config.end:
            raise PolicyError("the window's start must be before its end", key="start")
        self._holiday_years: dict[int, dict[date, str]] = {}
        #: Where holiday tables are kept between runs (None: built in memory only).
        self.holiday_cache_dir: Path | None = None
        self.day_status = lru_cache(maxsize=8192)(self._compute_day_status)

    @classmethod
    def default(cls) -> PostingPolicy:
        return cls(PolicyConfig())

    # -- days ------------------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        return self._holidays_of(day.year).get(day)

    def _holidays_of(self, year: int) -> dict[date, str]:
        table = self._holiday_years.get(year)
        if table is None:
            table = _load_holidays(self.config.holidays, year, self.holiday_cache_dir)
            self._holiday_years[year] = table
        return table

    def in_year_end_closure(self, day: date) -> bool:
        closure = self.config.year_end_closure
        if closure is None:
            return False
        first, last = closure
        key = (day.month, day.day)
        if first <= last:
            return first <= key <= last
        return key >= first or key <= last

    def _compute_day_status(self, day: date) -> DayStatus:
        reasons: list[str] = []
        if self.in_year_end_closure(day):
            reasons.append("year_end")
        name = self.holiday_name(day)
        if name is not None:
            reasons.append("holiday")
        if day.weekday() not in self.config.weekdays:
            reasons.append("weekend")
        if day in self.config.extra_closed_days:
            reasons.append("closed_day")
        return DayStatus(day=day, open=not reasons, reasons=tuple(reasons), holiday_name=name)

    # -- instants --------------------------------------------------------------------------

    def localize(self, when: datetime) -> datetime:
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("a timezone-aware datetime is required (got a naive one)")
        return when.astimezone(self.zone)

    def check(self, when: datetime) -> Decision:
        local = self.localize(when)
        status = self.day_status(local.date())
        reasons = list(status.reasons)
        clock = local.timetz().replace(tzinfo=None)
        if clock < self.config.start:
            reasons.append("before_hours")
        elif clock > self.config.end:
            reasons.append("after_hours")
        return Decision(
            when=local,
            allowed=not reasons,
            reasons=tuple(reasons),
            holiday_name=status.holiday_name,
        )

    def window_of(self, day: date) -> tuple[datetime, datetime]:
        """The day's posting window as aware datetimes in the policy's zone."""
        return (
            datetime.combine(day, self.config.start, tzinfo=self.zone),
            datetime.combine(day, self.config.end, tzinfo=self.zone),
        )

    def next_allowed(self, when: datetime) -> datetime:
        local = self.localize(when)
        if self.check(local).allowed:
            return local
        day = local.date()
        start, _ = self.window_of(day)
        if self.day_status(day).open and local < start:
            return start
        for offset in range(1, _SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.day_status(candidate).open:
                return self.window_of(candidate)[0]
        raise PolicyError(f"the policy allows no posting in the {_SEARCH_DAYS} days after {day}")

    def open_days(self, first: date, last: date) -> list[date]:
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [d for d in days if self.day_status(d).open]

    def hours_text(self) -> str:
        """「平日 8:30〜17:15」: the days and hours posting is allowed, in one clock style."""
        days = self.config.weekdays
        if set(days) == {0, 1, 2, 3, 4}:
            label = "平日"
        else:
            label = "・".join("月火水木金土日"[d] for d in sorted(days)) + "曜"
        start, end = self.config.start, self.config.end
        return f"{label} {start.hour}:{start.minute:02d}〜{end.hour}:{end.minute:02d}"

    def explain(self, subject: str, reasons: tuple[str, ...], holiday_name: str | None) -> str:
        """One natural sentence: 「2027年1月11日（月）は祝日（成人の日）のため投稿できません。」 or
        「… 18:00 は投稿できる時間（平日 8:30〜17:15）の外です。」."""
        day_reasons = tuple(r for r in reasons if r not in ("before_hours", "after_hours"))
        if day_reasons:
            return f"{subject}は{self.describe(day_reasons, holiday_name)}のため投稿できません。"
        return f"{subject}は投稿できる時間（{self.hours_text()}）の外です。"

    def describe(self, reasons: tuple[str, ...], holiday_name: str | None = None) -> str:
        """The reasons in Japanese, e.g. 「祝日（勤労感謝の日）・土日」."""
        labels = []
        for code in reasons:
            label = REASON_LABELS_JA.get(code, code)
            if code == "holiday" and holiday_name:
                label = f"{label}（{holiday_name}）"
            labels.append(label)
        return "・".join(labels)


def _load_holidays(country: str | None, year: int, folder: Path | None) -> dict[date, str]:
    if country is None:
        return {}
    from kodaira_desktop.policy.holiday_cache import holidays_for

    return holidays_for(country, year, folder)
