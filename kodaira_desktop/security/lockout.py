"""Password lockout: after ``max_attempts`` wrong passwords in a row, refuse for a while.

Pure: the caller stores ``(failed_attempts, locked_until)`` and passes the clock in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    max_attempts: int = 5
    lock_minutes: int = 10

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.lock_minutes < 0:
            raise ValueError("max_attempts must be >= 1 and lock_minutes >= 0")

    def next_state(
        self,
        failed_attempts: int,
        locked_until: datetime | None,
        now: datetime,
        success: bool,
    ) -> tuple[int, datetime | None]:
        """State after one password attempt at ``now``.

        While locked, attempts must be refused before the password is even checked; if one
        slips through anyway it changes nothing (a correct password does not lift the lock).
        """
        _require_aware(now)
        if is_locked(locked_until, now):
            return failed_attempts, locked_until
        if success:
            return 0, None
        # An expired lock starts a fresh count.
        failed = 1 if locked_until is not None else failed_attempts + 1
        if failed >= self.max_attempts:
            return failed, now + timedelta(minutes=self.lock_minutes)
        return failed, None

    def attempts_left(self, failed_attempts: int) -> int:
        return max(0, self.max_attempts - failed_attempts)

    @staticmethod
    def is_locked(locked_until: datetime | None, now: datetime) -> bool:
        return is_locked(locked_until, now)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    _require_aware(now)
    return locked_until is not None and now < locked_until


def remaining(locked_until: datetime | None, now: datetime) -> timedelta:
    """How long the lock still holds (zero when not locked)."""
    if locked_until is None or not is_locked(locked_until, now):
        return timedelta(0)
    return locked_until - now


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("lockout times must be timezone-aware")
