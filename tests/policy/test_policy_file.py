"""Policy files (CONTRACTS.md §2): every key optional, malformed files refused with key and line."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kodaira_desktop.policy import PolicyError, PostingPolicy, load_policy, parse_policy

JST = ZoneInfo("Asia/Tokyo")


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_shipped_file_equals_the_default() -> None:
    shipped = Path(__file__).parents[2] / "kodaira_desktop" / "resources" / "policy.toml"
    assert load_policy(shipped).config == PostingPolicy.default().config


def test_an_empty_file_keeps_every_default(tmp_path: Path) -> None:
    assert load_policy(write(tmp_path, "")).config == PostingPolicy.default().config
    assert parse_policy("[policy]\n").config == PostingPolicy.default().config


def test_a_full_file_is_applied(tmp_path: Path) -> None:
    policy = load_policy(
        write(
            tmp_path,
            """
[policy]
timezone = "Asia/Tokyo"
weekdays = ["mon", "tue", "wed", "thu", "fri", "sat"]
start = "09:00"
end = "17:00"
year_end_closure = ["12-28", "01-04"]
holidays = "none"
extra_closed_days = ["2027-01-05", 2027-01-06]
""",
        )
    )
    cfg = policy.config
    assert cfg.start == time(9, 0)
    assert cfg.end == time(17, 0)
    assert 5 in cfg.weekdays
    assert cfg.holidays is None
    assert policy.day_status(date(2026, 11, 28)).open  # a Saturday, now open
    assert policy.day_status(date(2026, 11, 23)).open  # a holiday, but holidays = "none"
    assert policy.day_status(date(2027, 1, 4)).reasons == ("year_end",)
    assert policy.day_status(date(2027, 1, 5)).reasons == ("closed_day",)
    assert policy.day_status(date(2027, 1, 6)).reasons == ("closed_day",)
    assert not policy.check(datetime(2026, 11, 25, 8, 45, tzinfo=JST)).allowed


def test_no_closure(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, '[policy]\nyear_end_closure = []\nholidays = "none"\n'))
    assert policy.day_status(date(2026, 12, 29)).open


def test_a_policy_in_another_zone(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, '[policy]\ntimezone = "Europe/Paris"\nholidays = "FR"\n'))
    decision = policy.check(datetime(2026, 11, 25, 8, 30, tzinfo=ZoneInfo("Europe/Paris")))
    assert decision.allowed
    assert policy.day_status(date(2026, 7, 14)).reasons == ("holiday",)


@pytest.mark.parametrize(
    ("body", "key", "line", "words"),
    [
        ('[policy]\nstart = "8:3x"\n', "start", 2, "HH:MM"),
        ('[policy]\n\nend = "25:00"\n', "end", 3, "valid time"),
        ('[policy]\nweekdays = ["mon", "funday"]\n', "weekdays", 2, "unknown weekday"),
        ("[policy]\nweekdays = []\n", "weekdays", 2, "non-empty"),
        ('[policy]\nstart = "17:15"\nend = "08:30"\n', "end", 3, "reversed window"),
        ('[policy]\nstart = "09:00"\nend = "09:00"\n', "end", 3, "reversed window"),
        ('[policy]\nstart_time = "09:00"\n', "start_time", 2, "unknown key"),
        ('[policy]\ntimezone = "Mars/Olympus"\n', "timezone", 2, "unknown time zone"),
        ('[policy]\nyear_end_closure = ["12-29"]\n', "year_end_closure", 2, "MM-DD"),
        ('[policy]\nyear_end_closure = ["13-01", "01-03"]\n', "year_end_closure", 2, "day"),
        # Issue 15, finding 7: these closed every day, and queueing ended in "unexpected error".
        (
            '[policy]\ntimezone = "Asia/Tokyo"\nyear_end_closure = ["12-31", "12-30"]\n',
            "year_end_closure",
            3,
            "closes every day",
        ),
        ('[policy]\nyear_end_closure = ["01-01", "12-31"]\n', "year_end_closure", 2, "every day"),
        ('[policy]\nyear_end_closure = ["03-01", "02-28"]\n', "year_end_closure", 2, "every day"),
        ('[policy]\nyear_end_closure = ["12-29", 1]\n', "year_end_closure", 2, "MM-DD"),
        ('[policy]\nyear_end_closure = "12-29"\n', "year_end_closure", 2, "MM-DD"),
        (
            '[policy]\nyear_end_closure = ["12-29", "01-03", "01-04"]\n',
            "year_end_closure",
            2,
            "MM-DD",
        ),
        ('[policy]\nyear_end_closure = ["02-30", "03-01"]\n', "year_end_closure", 2, "day"),
        ('[policy]\nholidays = "XX"\n', "holidays", 2, "holidays package"),
        ('[policy]\nextra_closed_days = ["2027-02-30"]\n', "extra_closed_days", 2, "ISO date"),
    ],
)
def test_malformed_files_are_refused_with_key_and_line(
    tmp_path: Path, body: str, key: str, line: int, words: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    error = caught.value
    assert error.key == key
    assert error.line == line
    assert words in str(error)
    assert str(error).startswith(f"{path}:{line}: [policy] {key}:")


def test_an_unknown_section_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="unknown section"):
        load_policy(write(tmp_path, '[polcy]\nstart = "08:30"\n'))


def test_invalid_toml_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"not valid TOML.*line 2"):
        load_policy(write(tmp_path, "[policy]\nstart = 08:30 oops\n"))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not found"):
        load_policy(tmp_path / "absent.toml")
