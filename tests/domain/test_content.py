"""Canonical JSON and the content hash that identifies what an entry would send."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kodaira_desktop.domain.content import canonical_json, content_hash

JST = timezone(timedelta(hours=9))


class Channel(StrEnum):
    X = "x"


@dataclass(frozen=True)
class Point:
    x: int
    y: int


def test_canonical_json_shape() -> None:
    value = {"b": [1, 2], "a": "小平", "c": None, "d": True}
    assert canonical_json(value) == '{"a":"小平","b":[1,2],"c":null,"d":true}'.encode()


def test_datetimes_become_utc_iso() -> None:
    tokyo_nine = datetime(2025, 4, 1, 9, 0, tzinfo=JST)
    assert canonical_json(tokyo_nine) == b'"2025-04-01T00:00:00Z"'
    assert canonical_json(tokyo_nine) == canonical_json(datetime(2025, 4, 1, tzinfo=UTC))
    assert canonical_json(date(2025, 4, 1)) == b'"2025-04-01"'


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        canonical_json(datetime(2025, 4, 1, 9, 0))


def test_enums_sets_tuples_and_dataclasses() -> None:
    assert canonical_json(Channel.X) == b'"x"'
    assert canonical_json(frozenset({"line", "x", "facebook"})) == b'["facebook","line","x"]'
    assert canonical_json((1, 2)) == b"[1,2]"
    assert canonical_json(Point(1, 2)) == b'{"x":1,"y":2}'


@pytest.mark.parametrize("bad", [float("nan"), b"bytes", {1: "int key"}, object()])
def test_values_without_a_canonical_form(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        canonical_json(bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_key_order_does_not_matter_and_round_trips(value: dict[str, object]) -> None:
    reordered = dict(reversed(list(value.items())))
    assert canonical_json(value) == canonical_json(reordered)
    assert json.loads(canonical_json(value)) == value


TEXTS = {"x": "小平市からのお知らせ", "line": "小平市からのお知らせです。"}
MEDIA = ("ab" * 32, "cd" * 32)
OPENS = datetime(2025, 4, 1, 9, tzinfo=JST)
CLOSES = datetime(2025, 4, 1, 17, tzinfo=JST)


def digest(
    texts: dict[str, str] = TEXTS,
    channels: tuple[str, ...] = ("x", "line"),
    media_sha256: tuple[str, ...] = MEDIA,
    title: str | None = None,
    window_start: datetime = OPENS,
    window_end: datetime = CLOSES,
) -> str:
    return content_hash(
        texts=texts,
        channels=channels,
        media_sha256=media_sha256,
        title=title,
        window_start=window_start,
        window_end=window_end,
    )


def test_content_hash_is_stable_and_hex() -> None:
    assert len(digest()) == 64
    assert digest() == digest()
    assert digest() == digest(channels=("line", "x", "x"))
    assert digest() == digest(window_start=datetime(2025, 4, 1, 0, tzinfo=UTC))
    assert digest() == digest(media_sha256=tuple(sha.upper() for sha in MEDIA))


@pytest.mark.parametrize(
    "changed",
    [
        lambda: digest(texts={**TEXTS, "x": "小平市からのお知らせ!"}),
        lambda: digest(channels=("x",)),
        lambda: digest(media_sha256=MEDIA[::-1]),  # picture order is part of the post
        lambda: digest(title="市報こだいら"),
        lambda: digest(window_end=datetime(2025, 4, 1, 18, tzinfo=JST)),
    ],
)
def test_content_hash_changes_with_what_is_sent(changed: Callable[[], str]) -> None:
    assert changed() != digest()
