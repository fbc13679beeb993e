"""What a dragged queue item carries, and where a drop moves it: the same time of day (in
the policy's zone) on the day it was dropped on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from PySide6.QtCore import QByteArray, QMimeData

MIME_TYPE = "application/x-kodaira-item"


@dataclass(frozen=True)
class DraggedItem:
    item_id: int
    scheduled_at: datetime


def item_mime(dragged: DraggedItem) -> QMimeData:
    mime = QMimeData()
    payload = {"item": dragged.item_id, "at": dragged.scheduled_at.isoformat()}
    mime.setData(MIME_TYPE, QByteArray(json.dumps(payload).encode("utf-8")))
    mime.setText(f"#{dragged.item_id}")
    return mime


def read_item_mime(mime: QMimeData) -> DraggedItem | None:
    if not mime.hasFormat(MIME_TYPE):
        return None
    try:
        payload = json.loads(bytes(mime.data(MIME_TYPE).data()).decode("utf-8"))
        when = datetime.fromisoformat(payload["at"])
        item_id = int(payload["item"])
    except (ValueError, KeyError, TypeError):
        return None
    if when.tzinfo is None:
        return None
    return DraggedItem(item_id, when)


def moved_to(scheduled_at: datetime, day: date, zone: tzinfo) -> datetime:
    """The same wall-clock time on ``day``, in ``zone``."""
    local = scheduled_at.astimezone(zone)
    return datetime.combine(day, local.time(), tzinfo=zone)
