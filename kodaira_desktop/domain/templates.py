"""定型文: saved texts whose placeholders are filled from the scheduled time. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

WEEKDAYS_JA = "月火水木金土日"
#: The placeholders a template may use, filled from the post's scheduled time (local time).
PLACEHOLDERS = ("{日付}", "{曜日}", "{時刻}")


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    text: str
    channels: tuple[str, ...]
    category: str | None
    #: None: shared by everyone (only chiefs change it); else the login of its owner.
    owner: str | None

    @property
    def shared(self) -> bool:
        return self.owner is None


def fill(text: str, when: datetime) -> str:
    """``{日付}`` → 12月1日, ``{曜日}`` → 火, ``{時刻}`` → 10:00 (``when`` in local time)."""
    return (
        text.replace("{日付}", f"{when.month}月{when.day}日")
        .replace("{曜日}", WEEKDAYS_JA[when.weekday()])
        .replace("{時刻}", f"{when:%H:%M}")
    )


def has_placeholders(text: str) -> bool:
    return any(p in text for p in PLACEHOLDERS)
