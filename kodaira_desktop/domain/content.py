"""A stable fingerprint of what a queue entry would send.

`canonical_json` gives one byte string per value (sorted keys, UTF-8, no whitespace,
datetimes as ISO 8601 in UTC), so the same content always hashes — and signs — the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Final

CONTENT_HASH_VERSION: Final = 1


def _canonical(value: object) -> object:
    """Reduce a value to JSON types, deterministically."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("NaN and infinity have no canonical JSON form")
        return value
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime is ambiguous: {value!r}")
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _canonical(
            {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        )
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("canonical JSON needs string keys")
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    raise TypeError(f"no canonical JSON form for {type(value).__name__}")


def canonical_json(obj: object) -> bytes:
    """Deterministic JSON bytes for hashing and signing."""
    return json.dumps(
        _canonical(obj),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    ).encode("utf-8")


def content_hash(
    *,
    texts: Mapping[str, str],
    channels: Iterable[str],
    media_sha256: Sequence[str] = (),
    title: str | None = None,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
    image_urls: Sequence[str] = (),
) -> str:
    """SHA-256 (hex) over what would be sent: texts per channel, media, title, window.

    Channels are a set (order does not matter); media and image URLs keep their order,
    because the order of pictures in a post is part of the post.
    """
    payload = {
        "v": CONTENT_HASH_VERSION,
        "texts": dict(texts),
        "channels": sorted(set(channels)),
        "media_sha256": [digest.lower() for digest in media_sha256],
        "image_urls": list(image_urls),
        "title": title,
        "window": [window_start, window_end],
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()
