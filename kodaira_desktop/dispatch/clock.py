"""Time as the dispatcher sees it: aware UTC wall time and a monotonic counter, injectable."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC wall-clock time."""
        ...

    def monotonic(self) -> float: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock tests move by hand; ``jump`` moves wall time without monotonic time (a clock
    change or a resume from sleep)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._mono += seconds

    def jump(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def set(self, when: datetime) -> None:
        self.advance((when.astimezone(UTC) - self._now).total_seconds())


class ShiftedClock(SystemClock):
    """The system clock moved to start at a given instant and run on in real time.

    Selected with KODAIRA_FAKE_NOW (ISO 8601 with offset) for training and end-to-end tests;
    never set in production.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("KODAIRA_FAKE_NOW needs a UTC offset")
        self._shift = start.astimezone(UTC) - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._shift


def clock_from_env(environ: dict[str, str]) -> Clock:
    fake = environ.get("KODAIRA_FAKE_NOW")
    return ShiftedClock(datetime.fromisoformat(fake)) if fake else SystemClock()
