"""When the dispatcher should wake next, and whether the wall clock jumped while it slept."""

from __future__ import annotations

from datetime import datetime

#: Qt timers (and many OS timers) overflow past 2**31 - 1 milliseconds (~24.8 days).
MAX_TIMER_MS = 2**31 - 1
#: Other PCs may add entries that fall due sooner: look again at least this often.
RESYNC_SECONDS = 60.0
#: A wall-clock change larger than this between two looks is a jump (sleep/resume, NTP).
JUMP_TOLERANCE_SECONDS = 5.0


def seconds_until(now: datetime, due: datetime | None, resync: float = RESYNC_SECONDS) -> float:
    """Seconds to sleep before looking again: until the next due entry, at most ``resync``."""
    if due is None:
        return resync
    return max(0.0, min(resync, (due - now).total_seconds()))


def timer_ms(seconds: float) -> int:
    return max(0, min(MAX_TIMER_MS, round(seconds * 1000)))


class JumpDetector:
    """Compares elapsed wall time with elapsed monotonic time between two looks."""

    def __init__(self, wall: datetime, mono: float) -> None:
        self._wall = wall
        self._mono = mono

    def check(self, wall: datetime, mono: float) -> float:
        """The size of the jump in seconds (0.0 when none), and remembers this look."""
        drift = (wall - self._wall).total_seconds() - (mono - self._mono)
        self._wall, self._mono = wall, mono
        return drift if abs(drift) > JUMP_TOLERANCE_SECONDS else 0.0
