from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kodaira_desktop.security.canonical import canonical_json, iso_utc, to_json_value

JST = timezone(timedelta(hours=9))


def test_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": ["小平", None, True]}) == (
        '{"a":["小平",null,true],"b":1}'.encode()
    )


def test_datetimes_become_utc_with_z() -> None:
    moment = datetime(2025, 11, 25, 9, 0, tzinfo=JST)
    assert canonical_json({"at": moment}) == b'{"at":"2025-11-25T00:00:00Z"}'
    assert iso_utc(moment.replace(microsecond=5)) == "2025-11-25T00:00:00.000005Z"


@pytest.mark.parametrize("value", [datetime(2025, 1, 1), b"raw", {1, 2}, float("nan")])
def test_refuses_ambiguous_values(value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        canonical_json({"v": value})


def test_to_json_value_matches_round_trip() -> None:
    assert to_json_value({"at": datetime(2025, 1, 1, tzinfo=UTC), "n": (1, 2)}) == {
        "at": "2025-01-01T00:00:00Z",
        "n": [1, 2],
    }
