"""The posting window as the city's policy defines it (CONTRACTS.md §2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kodaira_desktop.policy import PostingPolicy

JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture(scope="module")
def policy() -> PostingPolicy:
    return PostingPolicy.default()


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("clock", "allowed", "reasons"),
    [
        ((8, 29, 59), False, ("before_hours",)),
        ((8, 30, 0), True, ()),
        ((12, 0, 0), True, ()),
        ((17, 15, 0), True, ()),
        ((17, 15, 1), False, ("after_hours",)),
        ((0, 0, 0), False, ("before_hours",)),
        ((23, 59, 59), False, ("after_hours",)),
    ],
)
def test_window_edges_on_a_working_day(
    policy: PostingPolicy, clock: tuple[int, int, int], allowed: bool, reasons: tuple[str, ...]
) -> None:
    decision = policy.check(jst(2026, 11, 25, *clock))  # a Wednesday
    assert decision.allowed is allowed
    assert decision.reasons == reasons
    assert decision.holiday_name is None


def test_a_fraction_of_a_second_after_the_end_is_closed(policy: PostingPolicy) -> None:
    assert not policy.check(jst(2026, 11, 25, 17, 15, 0, 1)).allowed


@pytest.mark.parametrize(
    "day",
    [date(2026, 12, 29), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 3)],
)
def test_year_end_closure_spans_the_year_boundary(policy: PostingPolicy, day: date) -> None:
    status = policy.day_status(day)
    assert not status.open
    assert "year_end" in status.reasons
    assert "year_end" in policy.check(datetime.combine(day, datetime.min.time(), JST)).reasons


def test_days_around_the_closure_are_open(policy: PostingPolicy) -> None:
    assert policy.day_status(date(2026, 12, 28)).open  # Monday
    assert policy.day_status(date(2027, 1, 4)).open  # Monday
    assert policy.check(jst(2026, 12, 28, 17, 15)).allowed
    assert not policy.check(jst(2026, 12, 29, 10, 0)).allowed


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 5, 6), "振替休日"),  # substitute holiday for Constitution Day on a Sunday
        (date(2026, 9, 22), "国民の休日"),  # citizens' holiday between two holidays
        (date(2026, 11, 23), "勤労感謝の日"),
        (date(2027, 1, 11), "成人の日"),
    ],
)
def test_national_holidays_close_the_day(policy: PostingPolicy, day: date, name: str) -> None:
    decision = policy.check(datetime.combine(day, datetime.min.time(), JST).replace(hour=10))
    assert not decision.allowed
    assert decision.reasons == ("holiday",)
    assert decision.holiday_name == name
    assert policy.day_status(day).holiday_name == name


def test_new_years_day_is_both_closure_and_holiday(policy: PostingPolicy) -> None:
    status = policy.day_status(date(2027, 1, 1))
    assert status.reasons == ("year_end", "holiday")
    assert status.holiday_name == "元日"


def test_weekends_are_closed(policy: PostingPolicy) -> None:
    assert policy.check(jst(2026, 11, 28, 10, 0)).reasons == ("weekend",)
    assert policy.check(jst(2026, 11, 29, 18, 0)).reasons == ("weekend", "after_hours")


@pytest.mark.parametrize(
    ("utc_instant", "allowed"),
    [
        (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), True),  # 08:30 JST Wed
        (datetime(2026, 11, 24, 23, 29, 59, tzinfo=UTC), False),
        (datetime(2026, 11, 25, 8, 15, tzinfo=UTC), True),  # 17:15 JST
        (datetime(2026, 11, 25, 8, 15, 1, tzinfo=UTC), False),
    ],
)
def test_utc_instants_are_judged_in_japan_time(
    policy: PostingPolicy, utc_instant: datetime, allowed: bool
) -> None:
    assert policy.check(utc_instant).allowed is allowed


def test_other_zones_are_converted(policy: PostingPolicy) -> None:
    new_york = ZoneInfo("America/New_York")
    # Tuesday 2026-11-24 18:30 in New York is Wednesday 08:30 in Tokyo.
    decision = policy.check(datetime(2026, 11, 24, 18, 30, tzinfo=new_york))
    assert decision.allowed
    assert decision.when.tzinfo == JST
    assert decision.when.hour == 8
    # Monday 09:00 in London is Monday 18:00 in Tokyo: after hours.
    assert policy.check(datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/London"))).reasons == (
        "after_hours",
    )
    fixed = timezone(timedelta(hours=-10))
    assert policy.check(datetime(2026, 11, 24, 14, 0, tzinfo=fixed)).allowed  # 09:00 JST


def test_naive_datetimes_are_refused(policy: PostingPolicy) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        policy.check(datetime(2026, 11, 25, 10, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        policy.next_allowed(datetime(2026, 11, 25, 10, 0))


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        # allowed instants are returned as they are
        (jst(2026, 11, 25, 10, 0, 5), jst(2026, 11, 25, 10, 0, 5)),
        (jst(2026, 11, 25, 17, 15), jst(2026, 11, 25, 17, 15)),
        # early morning: the same day's opening
        (jst(2026, 11, 25, 7, 0), jst(2026, 11, 25, 8, 30)),
        # after hours on Friday: Monday morning
        (jst(2026, 11, 27, 17, 15, 1), jst(2026, 11, 30, 8, 30)),
        # across the year end: the last open instant, then 4 January
        (jst(2026, 12, 28, 17, 16), jst(2027, 1, 4, 8, 30)),
        (jst(2026, 12, 30, 9, 0), jst(2027, 1, 4, 8, 30)),
        # Golden Week 2026: Wed 29 Apr is 昭和の日; Sat 2 – Wed 6 May closed
        (jst(2026, 4, 29, 9, 0), jst(2026, 4, 30, 8, 30)),
        (jst(2026, 5, 1, 17, 30), jst(2026, 5, 7, 8, 30)),
        # Silver Week 2026: Sat 19 – Wed 23 September
        (jst(2026, 9, 18, 18, 0), jst(2026, 9, 24, 8, 30)),
        # a long weekend: Sat 21 – Mon 23 November (勤労感謝の日)
        (jst(2026, 11, 20, 17, 20), jst(2026, 11, 24, 8, 30)),
    ],
)
def test_next_allowed(policy: PostingPolicy, when: datetime, expected: datetime) -> None:
    result = policy.next_allowed(when)
    assert result == expected
    assert result.tzinfo == JST
    assert policy.check(result).allowed


def test_next_allowed_accepts_utc_and_answers_in_japan_time(policy: PostingPolicy) -> None:
    result = policy.next_allowed(datetime(2026, 12, 28, 9, 0, tzinfo=UTC))  # 18:00 JST
    assert result == jst(2027, 1, 4, 8, 30)
    assert result.utcoffset() == timedelta(hours=9)


def test_day_status_for_calendar_cells(policy: PostingPolicy) -> None:
    open_day = policy.day_status(date(2026, 11, 25))
    assert open_day.open
    assert open_day.reasons == ()
    assert open_day.holiday_name is None
    sunday = policy.day_status(date(2026, 11, 22))
    assert not sunday.open
    assert sunday.reasons == ("weekend",)


def test_a_year_has_the_right_number_of_open_days(policy: PostingPolicy) -> None:
    days = policy.open_days(date(2027, 1, 1), date(2027, 12, 31))
    # 261 weekdays in 2027, less 16 holidays on weekdays (元日 among them; 春分の日 is a
    # Sunday, its 振替休日 a Monday) and the closure's other weekdays, 29–31 Dec: 261 − 16 − 3.
    assert len(days) == 242
    assert all(d.weekday() < 5 for d in days)


def test_describe_speaks_japanese(policy: PostingPolicy) -> None:
    status = policy.day_status(date(2026, 11, 23))
    assert policy.describe(status.reasons, status.holiday_name) == "祝日（勤労感謝の日）"
    assert policy.describe(("weekend", "after_hours")).startswith("土日・投稿時間後")
