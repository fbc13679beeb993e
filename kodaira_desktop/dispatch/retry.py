"""When to try a transient failure again: exponential backoff with jitter, honouring the
service's own Retry-After / rate-limit reset, kept inside the posting window."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 30.0
    cap_seconds: float = 30 * 60.0
    #: Fraction of the delay drawn at random, so PCs do not retry in lockstep.
    jitter: float = 0.25

    def delay(
        self,
        attempts: int,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt (1-based)."""
        backoff = min(self.cap_seconds, self.base_seconds * 2.0 ** max(0, attempts - 1))
        backoff *= 1 - self.jitter + 2 * self.jitter * rand()
        if retry_after is not None:
            backoff = max(backoff, retry_after)
        return backoff

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def next_attempt(
        self,
        now: datetime,
        attempts: int,
        retry_after: float | None,
        rand: Callable[[], float] = random.random,
    ) -> datetime:
        return now + timedelta(seconds=self.delay(attempts, retry_after, rand))
