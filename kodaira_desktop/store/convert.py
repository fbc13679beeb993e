"""ORM rows to the plain records of ``kodaira_desktop.domain.records``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from kodaira_desktop.domain.records import (
    AttachedMedia,
    AuditRow,
    Channel,
    Entry,
    Heartbeat,
    MediaRecord,
    OverrideRequest,
    OverrideStatus,
    Role,
    User,
)
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.store.tables import (
    AuditLogRow,
    ChannelRow,
    EntryRow,
    HeartbeatRow,
    ItemMediaRow,
    MediaRow,
    OverrideRequestRow,
    UserRow,
)


def channel(row: ChannelRow) -> Channel:
    return Channel(
        key=row.key,
        platform=row.platform,
        handle=row.handle,
        display_name=row.display_name,
        suspended=row.suspended,
        suspended_reason=row.suspended_reason,
        suspended_at=row.suspended_at,
        suspended_by=row.suspended_by,
    )


def user(row: UserRow, channels: Iterable[str]) -> User:
    return User(
        id=row.id,
        login=row.login,
        display_name=row.display_name,
        role=cast(Role, row.role),
        created_at=row.created_at,
        active=row.active,
        channels=frozenset(channels),
        public_key=row.public_key,
        encrypted_private_key=row.encrypted_private_key,
        kdf_params=row.kdf_params,
        endorsed_by=row.endorsed_by,
        endorsement=row.endorsement,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
    )


def entry(row: EntryRow | Any, item_text: str) -> Entry:
    """From an ORM row or a plain row with the same column names."""
    return Entry(
        id=row.id,
        item_id=row.item_id,
        channel_key=row.channel_key,
        item_text=item_text,
        text_override=row.text_override,
        title=row.title,
        scheduled_at=row.scheduled_at,
        state=EntryState(row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        idempotency_key=row.idempotency_key,
        resume_state=row.resume_state,
        remote_id=row.remote_id,
        remote_url=row.remote_url,
        last_error=row.last_error,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        published_at=row.published_at,
        updated_at=row.updated_at,
        version=row.version,
        request_started_at=row.request_started_at,
    )


def media(row: MediaRow) -> MediaRecord:
    return MediaRecord(
        sha256=row.sha256,
        mime=row.mime,
        size=row.size,
        original_name=row.original_name,
        stored_name=row.stored_name,
        width=row.width,
        height=row.height,
        created_at=row.created_at,
    )


def attached_media(link: ItemMediaRow, row: MediaRow) -> AttachedMedia:
    return AttachedMedia(
        media=media(row),
        position=link.position,
        public_url=link.public_url,
        alt_text=link.alt_text,
    )


def override_request(row: OverrideRequestRow) -> OverrideRequest:
    return OverrideRequest(
        id=row.id,
        item_id=row.item_id,
        requested_by=row.requested_by,
        reason=row.reason,
        window_start=row.window_start,
        window_end=row.window_end,
        requested_at=row.requested_at,
        status=cast(OverrideStatus, row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_reason=row.decision_reason,
        payload_hash=row.payload_hash,
        signature=row.signature,
    )


def audit_row(row: AuditLogRow) -> AuditRow:
    return AuditRow(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def heartbeat(row: HeartbeatRow) -> Heartbeat:
    return Heartbeat(
        host_id=row.host_id,
        login=row.login,
        pid=row.pid,
        started_at=row.started_at,
        last_seen=row.last_seen,
        app_version=row.app_version,
    )
