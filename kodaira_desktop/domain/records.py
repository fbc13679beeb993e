"""Plain, immutable records the store hands to the rest of the app.

No SQLAlchemy here: the services, dispatcher and GUI see these dataclasses, never ORM rows or
SQL. Every datetime is timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from kodaira_desktop.domain.states import EntryState

Role = Literal["staff", "chief"]
OverrideStatus = Literal["pending", "approved", "rejected", "expired"]

#: ``prev_hash`` of the first audit row.
AUDIT_GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Channel:
    key: str
    platform: str
    handle: str | None
    display_name: str
    suspended: bool = False
    suspended_reason: str | None = None
    suspended_at: datetime | None = None
    suspended_by: str | None = None


@dataclass(frozen=True)
class User:
    id: int
    login: str
    display_name: str
    role: Role
    created_at: datetime
    active: bool
    #: Channel keys this user is designated for.
    channels: frozenset[str] = frozenset()
    public_key: bytes | None = None
    encrypted_private_key: bytes | None = None
    #: Key-derivation parameters as the security layer wrote them (JSON text).
    kdf_params: str | None = None
    endorsed_by: str | None = None
    endorsement: bytes | None = None
    failed_attempts: int = 0
    locked_until: datetime | None = None

    @property
    def is_chief(self) -> bool:
        return self.role == "chief"

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class MediaRecord:
    sha256: str
    mime: str
    size: int
    original_name: str
    stored_name: str
    width: int | None
    height: int | None
    created_at: datetime


@dataclass(frozen=True)
class MediaLink:
    """One attachment of an item as it is to be stored: the file's hash, in posting order,
    with its public URL (LINE) and 代替テキスト."""

    sha256: str
    public_url: str | None = None
    alt_text: str | None = None


@dataclass(frozen=True)
class AttachedMedia:
    """A media file as attached to one item, in posting order."""

    media: MediaRecord
    position: int
    #: Public HTTPS URL of the file (LINE cannot upload, it needs a URL).
    public_url: str | None = None
    #: 代替テキスト: what the image shows, for screen readers (X media metadata).
    alt_text: str | None = None


@dataclass(frozen=True)
class Entry:
    """One item queued for one channel."""

    id: int
    item_id: int
    channel_key: str
    item_text: str
    text_override: str | None
    title: str | None
    scheduled_at: datetime
    state: EntryState
    attempts: int
    next_attempt_at: datetime | None
    idempotency_key: str
    resume_state: str | None
    remote_id: str | None
    remote_url: str | None
    last_error: str | None
    claimed_by: str | None
    claimed_at: datetime | None
    published_at: datetime | None
    updated_at: datetime
    version: int
    #: Set just before the request left; None: claimed but never sent.
    request_started_at: datetime | None = None

    @property
    def text(self) -> str:
        """The text actually posted: the channel's override, else the item's text."""
        return self.text_override if self.text_override is not None else self.item_text


@dataclass(frozen=True)
class Item:
    id: int
    text: str
    category: str | None
    author: str
    created_at: datetime
    updated_at: datetime
    version: int
    entries: tuple[Entry, ...] = ()
    media: tuple[AttachedMedia, ...] = ()
    #: Shared by the items of one repeat; None for a single post.
    series_id: str | None = None


@dataclass(frozen=True)
class OverrideRequest:
    id: int
    item_id: int
    requested_by: str
    reason: str
    window_start: datetime
    window_end: datetime
    requested_at: datetime
    status: OverrideStatus
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    payload_hash: str | None
    signature: bytes | None


@dataclass(frozen=True)
class AuditFields:
    """What a caller supplies for a new audit row; the store adds seq and the chain."""

    at: datetime
    actor: str
    action: str
    target: str
    #: Canonical JSON text (the caller serialises, so the hash covers exactly what is stored).
    details: str = "{}"


@dataclass(frozen=True)
class AuditRecord:
    """Everything an audit row's hash covers."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    details: str
    prev_hash: str


@dataclass(frozen=True)
class AuditRow(AuditRecord):
    hash: str


@dataclass(frozen=True)
class Heartbeat:
    host_id: str
    login: str
    pid: int
    started_at: datetime
    last_seen: datetime
    app_version: str
