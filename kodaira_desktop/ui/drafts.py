"""The composer's draft on disk: one JSON file per user, written atomically (temp + rename).

No Qt here: the composer decides when to save (debounced) and what to restore.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from kodaira_desktop.domain.records import Item
from kodaira_desktop.domain.states import EntryState

log = logging.getLogger(__name__)

DRAFT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Draft:
    text: str = ""
    channels: tuple[str, ...] = ()
    overrides: dict[str, str] = field(default_factory=dict)
    title: str = ""
    media: tuple[str, ...] = ()
    image_urls: tuple[str, ...] = ()
    category: str = ""
    #: ISO date and "HH:MM" the user picked; None while the default (next slot) applies.
    date: str | None = None
    time: str | None = None
    #: The queued item this draft edits (re-submitted as a new item, the old one cancelled).
    editing_item_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.overrides or self.title.strip() or self.media)

    def to_json(self) -> str:
        data: dict[str, Any] = {"version": DRAFT_FORMAT_VERSION, **asdict(self)}
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, raw: str) -> Draft:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("a draft must be a JSON object")
        return cls(
            text=str(data.get("text", "")),
            channels=tuple(str(k) for k in data.get("channels", ())),
            overrides={str(k): str(v) for k, v in dict(data.get("overrides", {})).items()},
            title=str(data.get("title", "")),
            media=tuple(str(p) for p in data.get("media", ())),
            image_urls=tuple(str(u) for u in data.get("image_urls", ())),
            category=str(data.get("category", "")),
            date=_optional_str(data.get("date")),
            time=_optional_str(data.get("time")),
            editing_item_id=_optional_int(data.get("editing_item_id")),
        )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _optional_int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def draft_from_item(item: Item, media_paths: list[Path], zone: tzinfo) -> Draft:
    """A queued item as a draft that edits it (its live entries, its first time)."""
    live = [e for e in item.entries if e.state != EntryState.CANCELLED]
    first = min((e.scheduled_at for e in live), default=None)
    local = first.astimezone(zone) if first is not None else None
    return Draft(
        text=item.text,
        channels=tuple(e.channel_key for e in live),
        overrides={e.channel_key: e.text_override for e in live if e.text_override is not None},
        title=next((e.title for e in live if e.title), ""),
        media=tuple(str(p) for p in media_paths),
        image_urls=tuple(m.public_url for m in item.media if m.public_url),
        category=item.category or "",
        date=f"{local:%Y-%m-%d}" if local else None,
        time=f"{local:%H:%M}" if local else None,
        editing_item_id=item.id,
    )


class DraftStore:
    """``<drafts_dir>/<login>.json``; a crash mid-write leaves the previous draft whole."""

    def __init__(self, folder: Path, login: str) -> None:
        self.path = folder / f"{_safe_name(login)}.json"

    def load(self) -> Draft | None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("cannot read the draft %s: %s", self.path, error)
            return None
        try:
            return Draft.from_json(raw)
        except (ValueError, TypeError) as error:
            log.warning("ignoring an unreadable draft %s: %s", self.path, error)
            return None

    def save(self, draft: Draft) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".draft-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(draft.to_json())
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _safe_name(login: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in login)
    return cleaned.strip(".") or "user"
