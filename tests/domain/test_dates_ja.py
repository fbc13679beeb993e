"""How long ago, as the 配信PC section writes it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kodaira_desktop.domain.dates_ja import format_ago


@pytest.mark.parametrize(
    ("elapsed", "text"),
    [
        (timedelta(seconds=0), "たった今"),
        (timedelta(seconds=9), "たった今"),
        (timedelta(seconds=10), "10秒前"),
        (timedelta(seconds=59), "59秒前"),
        (timedelta(minutes=1), "1分前"),
        (timedelta(minutes=59, seconds=59), "59分前"),
        (timedelta(hours=1), "1時間前"),
        (timedelta(hours=23, minutes=59), "23時間前"),
        (timedelta(days=2, hours=3), "2日前"),
        (timedelta(seconds=-5), "たった今"),  # a PC whose clock runs a little ahead
    ],
)
def test_format_ago(elapsed: timedelta, text: str) -> None:
    assert format_ago(elapsed) == text
