"""Pacing sends under each service's documented rate limits, so no 429 is ever provoked.

One bucket per account (channel) holds ``capacity`` tokens; a send takes one, and that token
comes back one ``window`` after it was taken. So no more than ``capacity`` sends fall in any
window-long stretch of time, which keeps under the service's limit whether it counts a
sliding window or fixed windows. When the bucket is empty it hands out the next free slot (and
keeps it for that send); the dispatcher puts the entry off until then and tells the user why.

Pure: no I/O, no clock of its own (every call takes ``now``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RateLimit:
    capacity: int
    window: timedelta


#: Documented publishing limits per platform (per account):
#: X: 100 posts per 15 minutes per user; LINE: 60 broadcast requests per hour.
DOCUMENTED_LIMITS: Mapping[str, RateLimit] = {
    "x": RateLimit(100, timedelta(minutes=15)),
    "line": RateLimit(60, timedelta(hours=1)),
}


class TokenBucket:
    """``capacity`` tokens; each taken token returns ``window`` after it was taken."""

    def __init__(self, limit: RateLimit, taken: Iterable[datetime] = ()) -> None:
        if limit.capacity < 1:
            raise ValueError("a rate limit needs a capacity of at least one")
        self.limit = limit
        self._taken: deque[datetime] = deque(sorted(taken)[-limit.capacity :])

    def _expire(self, now: datetime) -> None:
        while self._taken and self._taken[0] + self.limit.window <= now:
            self._taken.popleft()

    def available(self, now: datetime) -> int:
        self._expire(now)
        return max(0, self.limit.capacity - len(self._taken))

    def reserve(self, now: datetime) -> datetime:
        """The instant (>= now) of this send's slot; the token is taken at that instant.

        Slots are handed out in order, each at least ``window`` after the send ``capacity``
        places before it, so no window-long stretch ever holds more than ``capacity`` sends.
        """
        self._expire(now)
        slot = now
        if self._taken:
            slot = max(slot, self._taken[-1])
        if len(self._taken) >= self.limit.capacity:
            slot = max(slot, self._taken[-self.limit.capacity] + self.limit.window)
        self._taken.append(slot)
        return slot


class Pacer:
    """The buckets of every account, created on first use from the platform's limit.

    ``limits`` maps platform -> limit; a platform without one is never paced.
    """

    def __init__(self, limits: Mapping[str, RateLimit] | None = None) -> None:
        self.limits = dict(DOCUMENTED_LIMITS if limits is None else limits)
        self._buckets: dict[str, TokenBucket] = {}

    def bucket(
        self, account: str, platform: str, history: Iterable[datetime] = ()
    ) -> TokenBucket | None:
        """The account's bucket; ``history`` (recent send times) primes a new one."""
        limit = self.limits.get(platform)
        if limit is None:
            return None
        bucket = self._buckets.get(account)
        if bucket is None:
            bucket = self._buckets[account] = TokenBucket(limit, history)
        return bucket

    def reserve(self, account: str, platform: str, now: datetime) -> datetime:
        """When this account's next send may go: ``now``, or a later slot (taken for it)."""
        bucket = self.bucket(account, platform)
        return now if bucket is None else bucket.reserve(now)

    def known(self, account: str) -> bool:
        return account in self._buckets


def pacing_message(when_local: datetime) -> str:
    """What the user sees on a paced entry (``when_local`` in the policy's zone)."""
    if when_local.second or when_local.microsecond:
        when_local = when_local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return f"送信数の上限のため {when_local:%H:%M} に送信します（{when_local:%m月%d日}）。"
