from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kodaira_desktop.domain.templates import fill, has_placeholders


def test_placeholders_are_filled_from_the_local_time() -> None:
    when = datetime(2026, 12, 1, 8, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert fill("{日付}（{曜日}）{時刻} {日付} {その他}", when) == (
        "12月1日（火）08:30 12月1日 {その他}"
    )
    assert has_placeholders("{曜日}")
    assert not has_placeholders("{その他}")
