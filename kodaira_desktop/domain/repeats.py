"""Repeating posts: an RFC 5545 rule expanded with python-dateutil, then fitted to the posting
policy (an occurrence on a closed day moves to the next open day, or is left out). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from dateutil.rrule import rrule, rrulestr

from kodaira_desktop.policy import PostingPolicy

OnClosed = Literal["next", "skip"]

#: A year of daily posts; a longer repeat is a mistake (or needs COUNT/UNTIL/--until).
MAX_OCCURRENCES = 366
#: How far to look for the next open day (the year-end closure plus a long weekend fits).
_SEARCH_DAYS = 60


class RepeatError(ValueError):
    """A rule that cannot be used; the message is one sentence for the user."""


@dataclass(frozen=True)
class Occurrence:
    #: When the rule puts it, in the policy's zone.
    planned: datetime
    #: When it will be posted; None when it is left out.
    when: datetime | None
    #: Why it moved or was left out (e.g. 「祝日（憲法記念日）」, 「年末年始」); None if not.
    reason: str | None = None

    @property
    def moved(self) -> bool:
        return self.when is not None and self.when != self.planned


def parse_rule(rule: str, start: datetime) -> rrule:
    """The rule (``FREQ=WEEKLY;BYDAY=MO``, with or without ``RRULE:``) starting at ``start``
    (naive wall-clock time)."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text or any(c in text for c in "\r\n:"):
        raise RepeatError(
            f"繰り返しの指定「{rule}」は RRULE ではありません（例: FREQ=WEEKLY;BYDAY=MO）"
        )
    try:
        parsed = rrulestr(text, dtstart=start)
    except (ValueError, TypeError, KeyError) as error:
        raise RepeatError(f"繰り返しの指定「{rule}」を読めません（{error}）") from error
    if not isinstance(parsed, rrule):  # a set: not possible without newlines, but be sure
        raise RepeatError(f"繰り返しの指定「{rule}」は一つの RRULE にしてください")
    return parsed


def expand(rule: str, start: datetime, until: date | None, policy: PostingPolicy) -> list[datetime]:
    """Every instant of the rule from ``start`` (aware; the first occurrence) to the end of
    ``until`` in the policy's zone, as aware datetimes in that zone."""
    local = policy.localize(start)
    wall = local.replace(tzinfo=None)
    last = datetime.combine(until, time.max) if until else None
    if last is not None and last < wall:
        raise RepeatError(f"--until {until} は開始日時より前です")
    found: list[datetime] = []
    for occurrence in parse_rule(rule, wall):
        if last is not None and occurrence > last:
            break
        if len(found) == MAX_OCCURRENCES:
            raise RepeatError(
                f"繰り返しが {MAX_OCCURRENCES} 回を超えます。COUNT、UNTIL か --until で"
                "終わりを指定してください"
            )
        found.append(occurrence.replace(tzinfo=policy.zone))
    if not found:
        raise RepeatError(f"繰り返しの指定「{rule}」では一度も投稿されません")
    if found[0] != local:
        # RFC 5545 counts DTSTART as the first instance; dateutil does not when it does not
        # match the rule: the item at --at is the first one either way.
        found = [local, *found]
    return found


def fit_to_policy(
    instants: list[datetime], policy: PostingPolicy, on_closed: OnClosed = "next"
) -> list[Occurrence]:
    """Move (or, with ``skip``, leave out) each instant that falls on a closed day.

    Moved to the same time on the next open day, or to the next allowed instant when that time
    is outside the window there. A time outside the window on an open day is left as it is,
    so that it is refused with the reason like any other post. A move onto another occurrence's
    instant is left out as a duplicate.
    """
    result: list[Occurrence] = []
    taken = set(instants)
    for planned in instants:
        status = policy.day_status(planned.date())
        if status.open:
            result.append(Occurrence(planned, planned))
            continue
        reason = policy.describe(status.reasons, status.holiday_name)
        if on_closed == "skip":
            result.append(Occurrence(planned, None, reason))
            continue
        moved = _next_open_day(planned, policy)
        if moved in taken:
            result.append(Occurrence(planned, None, f"{reason}・移動先に同じ投稿があります"))
            continue
        taken.add(moved)
        result.append(Occurrence(planned, moved, reason))
    return result


def _next_open_day(planned: datetime, policy: PostingPolicy) -> datetime:
    for offset in range(1, _SEARCH_DAYS + 1):
        day = planned.date() + timedelta(days=offset)
        if policy.day_status(day).open:
            candidate = datetime.combine(day, planned.timetz())
            return policy.next_allowed(candidate)
    raise RepeatError(f"{planned:%Y-%m-%d} のあと {_SEARCH_DAYS} 日間、投稿できる日がありません")
