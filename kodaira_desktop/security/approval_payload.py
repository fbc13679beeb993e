"""The exact bytes a chief signs to approve an emergency override: everything that is sent.

Format 2 (``kodaira-override-approval-v2``) covers, per channel entry, the text and the title
that entry sends; per media file its SHA-256, MIME type and public URL (LINE sends images by
URL), in posting order; the channels; the window; the reason; who approved and when. Any
change to any of these, on any entry, changes the bytes and voids the signature.

Format 1 signed the texts, the media hashes and only the first title found. It is no longer
accepted for publishing; :func:`approval_payload_v1` is kept only to recognise such an
approval and say that it must be given again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from kodaira_desktop.security.canonical import canonical_json, iso_utc

APPROVAL_PURPOSE = "kodaira-override-approval-v2"
APPROVAL_PURPOSE_V1 = "kodaira-override-approval-v1"


@dataclass(frozen=True)
class ApprovedEntry:
    """What one channel entry sends."""

    text: str
    title: str | None = None


@dataclass(frozen=True)
class ApprovedMedia:
    """One attached file as it is sent."""

    sha256: str
    mime: str
    public_url: str | None = None
    #: 代替テキスト, sent with the image (X media metadata): signed like the text.
    alt_text: str | None = None


def approval_payload(
    *,
    item_id: int,
    entries: Mapping[str, ApprovedEntry],
    media: Sequence[ApprovedMedia],
    window_start: datetime,
    window_end: datetime,
    reason: str,
    approver_login: str,
    approved_at: datetime,
) -> bytes:
    """Format 2: ``entries`` maps channel key -> what that entry sends; ``media`` keeps the
    posting order."""
    _check_window(window_start, window_end)
    return canonical_json(
        {
            "purpose": APPROVAL_PURPOSE,
            "item_id": item_id,
            "entries": {
                channel: {"text": entry.text, "title": entry.title}
                for channel, entry in entries.items()
            },
            "media": [
                {
                    "sha256": _digest(file.sha256),
                    "mime": file.mime,
                    "public_url": file.public_url,
                    "alt_text": file.alt_text,
                }
                for file in media
            ],
            "channels": sorted(entries),
            "window_start": iso_utc(window_start),
            "window_end": iso_utc(window_end),
            "reason": reason,
            "approver_login": approver_login,
            "approved_at": iso_utc(approved_at),
        }
    )


def approval_payload_v1(
    *,
    item_id: int | str,
    texts: Mapping[str, str],
    media_sha256: Sequence[str],
    youtube_title: str | None,
    channels: Iterable[str],
    window_start: datetime,
    window_end: datetime,
    reason: str,
    approver_login: str,
    approved_at: datetime,
) -> bytes:
    """Format 1, only to recognise approvals given before format 2 (never to accept them)."""
    _check_window(window_start, window_end)
    return canonical_json(
        {
            "purpose": APPROVAL_PURPOSE_V1,
            "item_id": item_id,
            "texts": dict(texts),
            "media_sha256": [_digest(digest) for digest in media_sha256],
            "youtube_title": youtube_title,
            "channels": sorted(set(channels)),
            "window_start": iso_utc(window_start),
            "window_end": iso_utc(window_end),
            "reason": reason,
            "approver_login": approver_login,
            "approved_at": iso_utc(approved_at),
        }
    )


def _check_window(window_start: datetime, window_end: datetime) -> None:
    if window_end < window_start:
        raise ValueError("window_end is before window_start")


def _digest(digest: str) -> str:
    lowered = digest.lower()
    if len(lowered) != 64 or any(c not in "0123456789abcdef" for c in lowered):
        raise ValueError(f"not a SHA-256 hex digest: {digest!r}")
    return lowered
