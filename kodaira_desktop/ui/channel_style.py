"""How channels and entry states look on screen: labels, colours and one-glyph marks."""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QColor

from kodaira_desktop.domain.states import STATE_LABELS_JA, EntryState

#: Checkbox and tab labels, in the order the composer lists them.
CHANNEL_LABELS: Final[dict[str, str]] = {
    "x-city": "小平市公式 X",
    "x-mayor": "市長室 X",
    "line": "LINE",
    "facebook": "Facebook",
    "youtube": "YouTube",
}

CHANNEL_COLOURS: Final[dict[str, str]] = {
    "x-city": "#14171a",
    "x-mayor": "#7b2cbf",
    "line": "#06c755",
    "facebook": "#1877f2",
    "youtube": "#e62117",
}
_FALLBACK_COLOUR: Final = "#607d8b"

#: A glyph per state, drawn on the channel's colour in the calendar.
STATE_MARKS: Final[dict[EntryState, str]] = {
    EntryState.DRAFT: "✎",
    EntryState.SCHEDULED: "◷",
    EntryState.AWAITING_APPROVAL: "△",
    EntryState.SENDING: "↑",
    EntryState.RETRY_WAIT: "↻",
    EntryState.PUBLISHED: "✓",
    EntryState.FAILED: "✗",
    EntryState.UNKNOWN: "!",
    EntryState.HELD: "‖",
    EntryState.CANCELLED: "−",
}

#: States that need a person's attention are drawn with a red outline.
ATTENTION_STATES: Final = frozenset(
    {EntryState.FAILED, EntryState.UNKNOWN, EntryState.HELD, EntryState.AWAITING_APPROVAL}
)

ERROR_COLOUR: Final = "#c62828"
OK_COLOUR: Final = "#2e7d32"
MUTED_COLOUR: Final = "#616161"


def channel_label(key: str) -> str:
    return CHANNEL_LABELS.get(key, key)


def channel_colour(key: str) -> QColor:
    return QColor(CHANNEL_COLOURS.get(key, _FALLBACK_COLOUR))


def state_label(state: EntryState) -> str:
    return STATE_LABELS_JA.get(state, state.value)


def state_mark(state: EntryState) -> str:
    return STATE_MARKS.get(state, "•")


def ordered_channel_keys(keys: list[str]) -> list[str]:
    """Known channels in the composer's order first, then any others by name."""
    known = [k for k in CHANNEL_LABELS if k in keys]
    return known + sorted(k for k in keys if k not in CHANNEL_LABELS)
