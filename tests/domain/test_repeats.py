"""Repeat rules expanded with dateutil and fitted to the city's posting policy."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kodaira_desktop.domain.repeats import (
    MAX_OCCURRENCES,
    RepeatError,
    expand,
    fit_to_policy,
    parse_rule,
)
from kodaira_desktop.policy import PostingPolicy

JST = ZoneInfo("Asia/Tokyo")
POLICY = PostingPolicy.default()


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2027) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JST)


def test_weekly_mondays_across_golden_week_2027() -> None:
    instants = expand("FREQ=WEEKLY;BYDAY=MO", at(4, 26), date(2027, 5, 17), POLICY)
    assert instants == [at(4, 26), at(5, 3), at(5, 10), at(5, 17)]
    fitted = fit_to_policy(instants, POLICY)
    assert [o.when for o in fitted] == [at(4, 26), at(5, 6), at(5, 10), at(5, 17)]
    assert fitted[1].moved
    assert fitted[1].reason == "祝日（憲法記念日）"
    skipped = fit_to_policy(instants, POLICY, "skip")
    assert [o.when for o in skipped] == [at(4, 26), None, at(5, 10), at(5, 17)]


def test_daily_across_golden_week_never_posts_twice_at_once() -> None:
    fitted = fit_to_policy(expand("FREQ=DAILY", at(4, 28), date(2027, 5, 7), POLICY), POLICY)
    kept = [o.when for o in fitted if o.when]
    assert kept == [at(4, 28), at(4, 30), at(5, 6), at(5, 7)]
    assert len(set(kept)) == len(kept)
    left_out = {o.planned.day: o.reason for o in fitted if o.when is None}
    assert left_out[29] is not None
    assert "昭和の日" in left_out[29]


def test_the_year_end_closure_moves_to_the_first_working_day() -> None:
    instants = expand("FREQ=WEEKLY;BYDAY=WE;COUNT=4", at(12, 16, 10, year=2026), None, POLICY)
    fitted = fit_to_policy(instants, POLICY)
    assert [o.when for o in fitted] == [
        at(12, 16, 10, year=2026),
        at(12, 23, 10, year=2026),
        at(1, 4, 10),
        at(1, 6, 10),
    ]
    assert fitted[2].reason == "年末年始"


def test_a_move_to_a_time_outside_the_window_takes_the_next_allowed_instant() -> None:
    policy = PostingPolicy.default()
    # A Saturday at 8:00 (fine as a rule time for the example): moved to Monday, where 8:00
    # is before the window, so 8:30.
    fitted = fit_to_policy([at(12, 5, 8, year=2026)], policy)
    assert fitted[0].when == at(12, 7, 8, 30, year=2026)


def test_the_first_occurrence_is_at_even_off_the_rule() -> None:
    instants = expand("FREQ=WEEKLY;BYDAY=MO;COUNT=2", at(4, 28), None, POLICY)
    assert instants == [at(4, 28), at(5, 3), at(5, 10)]


@pytest.mark.parametrize(
    "rule", ["FREQ=SOMETIMES", "BYDAY=MO", "", "DTSTART:20270101T000000\nRRULE:FREQ=DAILY"]
)
def test_unusable_rules_are_refused(rule: str) -> None:
    with pytest.raises(RepeatError):
        parse_rule(rule, datetime(2027, 1, 1))


def test_an_endless_rule_needs_an_end() -> None:
    with pytest.raises(RepeatError, match=str(MAX_OCCURRENCES)):
        expand("FREQ=DAILY", at(4, 1), None, POLICY)
    assert len(expand("FREQ=DAILY", at(4, 1), date(2027, 4, 30), POLICY)) == 30


def test_until_includes_its_whole_day() -> None:
    instants = expand("FREQ=WEEKLY", at(4, 5, 17, 15), date(2027, 4, 19), POLICY)
    assert instants[-1] == at(4, 19, 17, 15)
