"""Canonical JSON: the one byte form that is hashed or signed.

Sorted keys, compact separators, UTF-8 (not ``\\u`` escapes), no NaN/Infinity, and aware
datetimes written as ISO 8601 in UTC with a ``Z`` suffix. Two equal values always give the
same bytes, so a signature or hash made on one machine checks on another.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any


def iso_utc(moment: datetime) -> str:
    """``2025-11-25T02:30:00Z`` (microseconds only when non-zero); naive -> ValueError."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime is ambiguous, give it a timezone: {moment!r}")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _encode_extra(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    # bytes, sets, floats-as-Decimal etc. have no single obvious JSON form: refuse them
    # rather than let two callers encode the same value differently.
    raise TypeError(f"canonical_json cannot encode {type(value).__name__}")


def canonical_json(obj: Any) -> bytes:
    """Encode ``obj`` (dicts, lists, str, int, float, bool, None, datetimes) canonically."""
    text = json.dumps(
        obj,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_encode_extra,
    )
    return text.encode("utf-8")


def to_json_value(obj: Any) -> Any:
    """``obj`` as plain JSON types, exactly as it will look after a JSON round trip."""
    return json.loads(canonical_json(obj))
