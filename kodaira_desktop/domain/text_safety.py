"""Characters that never belong in a post: control characters (C0 other than newline and tab,
DEL, C1), bidirectional overrides and isolates (which can make a post read differently from
what is stored, e.g. U+202E), and lone surrogates (not text at all). Pure functions."""

from __future__ import annotations

import unicodedata
from typing import Final

_ALLOWED_CONTROLS: Final = frozenset("\n\t")
_BIDI_CONTROLS: Final = frozenset(
    [chr(cp) for cp in range(0x202A, 0x202F)] + [chr(cp) for cp in range(0x2066, 0x206A)]
)
#: How many offending characters one message lists.
_SHOWN: Final = 3


def _kind(ch: str) -> str | None:
    """Japanese name of why ``ch`` is refused, or None when it is fine."""
    cp = ord(ch)
    if (cp < 0x20 or 0x7F <= cp <= 0x9F) and ch not in _ALLOWED_CONTROLS:
        return "制御文字"
    if ch in _BIDI_CONTROLS:
        return "文字の向きを変える制御文字"
    if 0xD800 <= cp <= 0xDFFF:
        return "不正な文字（単独のサロゲート）"
    return None


def refused_characters(text: str) -> list[tuple[int, str]]:
    """(character number counted from 1, character) of every refused character."""
    return [(index + 1, ch) for index, ch in enumerate(text) if _kind(ch) is not None]


def describe(ch: str) -> str:
    """``U+202E（RIGHT-TO-LEFT OVERRIDE）``."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}（{name}）" if name else f"U+{ord(ch):04X}"


def safety_problems(text: str, what: str) -> list[str]:
    """One Japanese sentence naming the first refused characters of ``text`` and where they
    are (``what``: e.g. "X の本文"), or nothing."""
    found = refused_characters(text)
    if not found:
        return []
    shown = "、".join(
        f"{position} 文字目に{_kind(ch)} {describe(ch)}" for position, ch in found[:_SHOWN]
    )
    more = f" ほか {len(found) - _SHOWN} か所" if len(found) > _SHOWN else ""
    return [f"{what}の {shown}{more} があります。削除してください。"]
