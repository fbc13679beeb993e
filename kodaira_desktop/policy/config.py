"""The settings a posting policy is made of, with the city's defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PolicyError(ValueError):
    """A policy file or value that cannot be applied; names the key and, when known, the line."""

    def __init__(self, message: str, *, key: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.line = line


@dataclass(frozen=True)
class PolicyConfig:
    timezone: str = "Asia/Tokyo"
    #: Open weekdays, Monday = 0.
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(8, 30)
    end: time = time(17, 15)
    #: ((month, day) first, (month, day) last), inclusive, wrapping the year; None: no closure.
    year_end_closure: tuple[tuple[int, int], tuple[int, int]] | None = ((12, 29), (1, 3))
    #: A country code of the `holidays` package, or None.
    holidays: str | None = "JP"
    extra_closed_days: frozenset[date] = field(default_factory=frozenset)
