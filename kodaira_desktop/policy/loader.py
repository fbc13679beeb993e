"""Reading a policy TOML file (CONTRACTS.md §2). A malformed file is refused, never defaulted."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kodaira_desktop.domain.input_files import SMALL_FILE_LIMIT, InputFileError, read_text_file
from kodaira_desktop.policy.config import WEEKDAY_NAMES, PolicyConfig, PolicyError
from kodaira_desktop.policy.engine import PostingPolicy

_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?$")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def load_policy(path: str | Path) -> PostingPolicy:
    path = Path(path)
    try:
        text = read_text_file(path, limit=SMALL_FILE_LIMIT, what="policy file")
    except InputFileError as exc:
        if exc.kind == "missing":
            raise PolicyError(f"{path}: policy file not found") from None
        raise PolicyError(str(exc)) from None
    return parse_policy(text, source=str(path))


def parse_policy(text: str, *, source: str = "<policy>") -> PostingPolicy:
    return PostingPolicy(_Parser(text, source).config())


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source

    def fail(self, key: str, problem: str) -> PolicyError:
        line = self.line_of(key)
        where = f"{self.source}:{line}" if line else self.source
        return PolicyError(f"{where}: [policy] {key}: {problem}", key=key, line=line)

    def line_of(self, key: str) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        in_policy = False
        for number, line in enumerate(self.text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                in_policy = stripped.replace(" ", "") == "[policy]"
            elif in_policy and pattern.match(line):
                return number
        return None

    def config(self) -> PolicyConfig:
        import tomllib  # parsed on a start-up worker, after the first paint

        try:
            document = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"{self.source}: not valid TOML: {exc}") from exc
        unknown_tables = sorted(set(document) - {"policy"})
        if unknown_tables:
            raise PolicyError(
                f"{self.source}: unknown section or key {unknown_tables[0]!r} "
                "(only [policy] is understood)",
                key=unknown_tables[0],
            )
        table = document.get("policy", {})
        if not isinstance(table, dict):
            raise PolicyError(f"{self.source}: 'policy' must be a table", key="policy")
        readers: dict[str, Callable[[Any], Any]] = {
            "timezone": self.timezone,
            "weekdays": self.weekdays,
            "start": lambda v: self.clock("start", v),
            "end": lambda v: self.clock("end", v),
            "year_end_closure": self.closure,
            "holidays": self.holidays,
            "extra_closed_days": self.closed_days,
        }
        values: dict[str, Any] = {}
        for key, raw in table.items():
            if key not in readers:
                raise self.fail(key, f"unknown key (known keys: {', '.join(readers)})")
            values[key] = readers[key](raw)
        config = PolicyConfig(**values)
        if config.start >= config.end:
            raise self.fail(
                "end" if "end" in values else "start",
                f"reversed window: end {config.end:%H:%M} is not after start {config.start:%H:%M}",
            )
        return config

    def timezone(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail("timezone", 'must be a string such as "Asia/Tokyo"')
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise self.fail("timezone", f"unknown time zone {value!r}") from exc
        return value

    def weekdays(self, value: Any) -> frozenset[int]:
        if not isinstance(value, list) or not value:
            raise self.fail("weekdays", 'must be a non-empty list such as ["mon", "tue"]')
        days = set()
        for name in value:
            if not isinstance(name, str) or name.lower() not in WEEKDAY_NAMES:
                raise self.fail(
                    "weekdays", f"unknown weekday {name!r} (use {', '.join(WEEKDAY_NAMES)})"
                )
            days.add(WEEKDAY_NAMES.index(name.lower()))
        return frozenset(days)

    def clock(self, key: str, value: Any) -> time:
        match = _TIME.match(value) if isinstance(value, str) else None
        if match is None:
            raise self.fail(key, f"{value!r} is not a time in HH:MM form")
        hour, minute, second = (int(part or 0) for part in match.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise self.fail(key, f"{value!r} is not a valid time of day")
        return time(hour, minute, second)

    def closure(self, value: Any) -> tuple[tuple[int, int], tuple[int, int]] | None:
        if not isinstance(value, list) or len(value) not in (0, 2):
            raise self.fail(
                "year_end_closure", 'must be [] or ["MM-DD", "MM-DD"] (first and last day)'
            )
        if not value:
            return None
        first, last = (self.month_day(item) for item in value)
        if _closes_every_day(first, last):
            raise self.fail(
                "year_end_closure",
                f"{value[0]!r} to {value[1]!r} closes every day of the year "
                "(the closure wraps from its first day to its last: write the first day first)",
            )
        return first, last

    def month_day(self, value: Any) -> tuple[int, int]:
        match = _MONTH_DAY.match(value) if isinstance(value, str) else None
        if match is None:
            raise self.fail("year_end_closure", f"{value!r} is not a day in MM-DD form")
        month, day = int(match.group(1)), int(match.group(2))
        try:
            date(2000, month, day)  # a leap year, so 02-29 is accepted
        except ValueError as exc:
            raise self.fail("year_end_closure", f"{value!r} is not a day of the year") from exc
        return month, day

    def holidays(self, value: Any) -> str | None:
        if not isinstance(value, str):
            raise self.fail("holidays", 'must be a country code such as "JP", or "none"')
        if value.lower() == "none":
            return None
        import holidays as holidays_package

        if value.upper() not in holidays_package.list_supported_countries():
            raise self.fail("holidays", f"{value!r} is not a country the holidays package knows")
        return value.upper()

    def closed_days(self, value: Any) -> frozenset[date]:
        if not isinstance(value, list):
            raise self.fail("extra_closed_days", 'must be a list of dates such as ["2027-01-04"]')
        days = set()
        for item in value:
            if isinstance(item, date):  # TOML's own local-date type
                days.add(item)
                continue
            try:
                days.add(date.fromisoformat(item))
            except (TypeError, ValueError) as exc:
                raise self.fail("extra_closed_days", f"{item!r} is not an ISO date") from exc
        return frozenset(days)


def _closes_every_day(first: tuple[int, int], last: tuple[int, int]) -> bool:
    """True when the inclusive, year-wrapping closure from ``first`` to ``last`` leaves no day
    of a common year open (e.g. ["12-31", "12-30"] or ["01-01", "12-31"])."""
    day, end = date(2001, 1, 1), date(2001, 12, 31)
    while day <= end:
        key = (day.month, day.day)
        inside = first <= key <= last if first <= last else key >= first or key <= last
        if not inside:
            return False
        day += timedelta(days=1)
    return True
