"""The 管理 tab's use cases beyond `accounts` and `channels`: display names, each channel's
credential status (saved when and by whom, which account a live check found), saving and
checking credentials in one step, and which PCs dispatch (from their heartbeats).

Credential *values* never leave the keyring here: the status says only which fields are
saved, when, and what the service answered (account names and X handles are public)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from kodaira_desktop.domain.records import Channel, User
from kodaira_desktop.services import accounts, audit, channels, chiefs, queries
from kodaira_desktop.services.context import AppContext, ServiceError

MAX_DISPLAY_NAME = 255
SAVED, CHECKED, CHECK_FAILED = "credentials.set", "credentials.checked", "credentials.check_failed"


# -- people ----------------------------------------------------------------------------------


def set_display_name(
    ctx: AppContext, login: str, display_name: str, chief_password: str | None
) -> User:
    """A chief's action, like `users designate`: the name shown for ``login``."""
    name = " ".join(display_name.split())
    if not name or len(name) > MAX_DISPLAY_NAME:
        raise ServiceError(
            f"氏名は1〜{MAX_DISPLAY_NAME}文字で入力してください "
            f"(a display name of 1 to {MAX_DISPLAY_NAME} characters)",
            invalid=True,
        )
    accounts.require_chief(ctx, chief_password, "users rename")
    if ctx.store.get_user_by_login(login) is None:
        raise ServiceError(f"no user '{login}'", invalid=True)
    user = ctx.store.set_display_name(login, name)
    audit.record(ctx, "user.renamed", login, {"display_name": name})
    return user


# -- credentials -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialFields:
    required: tuple[str, ...]
    #: Non-secret settings stored with them (X: username, LINE: public_url …).
    optional: tuple[str, ...]


def credential_fields(platform: str) -> CredentialFields:
    from kodaira_desktop.platforms.registry import OPTIONAL_FIELDS, REQUIRED_FIELDS

    return CredentialFields(REQUIRED_FIELDS[platform], OPTIONAL_FIELDS[platform])


@dataclass(frozen=True)
class CredentialStatus:
    channel: Channel
    fields: CredentialFields
    #: Every required field is in this PC's keyring.
    saved: bool
    saved_at: datetime | None = None
    saved_by: str | None = None
    #: The last live check: the account it found, or why it failed.
    checked_at: datetime | None = None
    account: str | None = None
    check_error: str | None = None


def credential_statuses(ctx: AppContext) -> list[CredentialStatus]:
    """One status per channel, from the keyring (which fields, never values) and the audit."""
    history: dict[str, dict[str, tuple[datetime, str, dict[str, object]]]] = {}
    for row in queries.audit_rows(ctx, action_prefix="credentials."):
        key = row.target.removeprefix("channel:")
        details = json.loads(row.details or "{}")
        last = history.setdefault(key, {})
        last[row.action] = (row.at, row.actor, details if isinstance(details, dict) else {})
        if row.action == SAVED:  # a new save makes older check results stale
            last.pop(CHECKED, None)
            last.pop(CHECK_FAILED, None)
        elif row.action == CHECKED:
            last.pop(CHECK_FAILED, None)
        elif row.action == CHECK_FAILED:
            last.pop(CHECKED, None)
    statuses = []
    for channel in ctx.store.list_channels():
        fields = credential_fields(channel.platform)
        last = history.get(channel.key, {})
        saved = last.get(SAVED)
        checked = last.get(CHECKED) or last.get(CHECK_FAILED)
        details = checked[2] if checked else {}
        statuses.append(
            CredentialStatus(
                channel,
                fields,
                ctx.secrets.has_channel_credentials(channel.key, fields.required),
                saved_at=saved[0] if saved else None,
                saved_by=saved[1] if saved else None,
                checked_at=checked[0] if checked else None,
                account=_text(details.get("account")),
                check_error=_text(details.get("reason")),
            )
        )
    return statuses


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def check_and_record(ctx: AppContext, key: str) -> channels.AccountCheck:
    """Check the channel's credentials live (a chief's step); remember the account found and,
    for X, the @handle the composer's previews show. A failure is recorded and raised."""
    chiefs.require_chief(ctx, ctx.login, "credentials check")
    try:
        found = channels.check_account(ctx, key)
    except ServiceError as error:
        reason = str(error).removeprefix(f"{key}: ")
        audit.record(ctx, CHECK_FAILED, f"channel:{key}", {"reason": reason})
        raise ServiceError(reason) from error
    if found.handle is not None:
        ctx.store.set_handle(key, found.handle)
    audit.record(ctx, CHECKED, f"channel:{key}", {"account": found.account, "handle": found.handle})
    return found


@dataclass(frozen=True)
class SaveOutcome:
    fields: tuple[str, ...]
    check: channels.AccountCheck | None
    #: Saved, but the live check failed: why (the credentials stay saved).
    check_error: str | None = None


def save_and_check(
    ctx: AppContext, key: str, fields: Mapping[str, object], chief_password: str | None
) -> SaveOutcome:
    """Save into the keyring (the chief confirms with their password), then check live."""
    names = channels.set_credentials(ctx, key, fields, chief_password)
    try:
        return SaveOutcome(names, check_and_record(ctx, key))
    except ServiceError as error:
        return SaveOutcome(names, None, str(error))


# -- dispatching PCs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchingPc:
    pc: str
    login: str
    pid: int
    started_at: datetime
    last_seen: datetime
    app_version: str
    #: Seen within the heartbeat interval: this PC is dispatching now.
    live: bool


def dispatching_pcs(ctx: AppContext) -> list[DispatchingPc]:
    """Every dispatcher's heartbeat, the live ones first, then the most recently seen."""
    now = ctx.clock.now()
    found = [
        DispatchingPc(
            pc=beat.host_id.rsplit(":", 2)[0],
            login=beat.login,
            pid=beat.pid,
            started_at=beat.started_at,
            last_seen=beat.last_seen,
            app_version=beat.app_version,
            live=now - beat.last_seen <= queries.HEARTBEAT_STALE,
        )
        for beat in ctx.store.list_heartbeats()
    ]
    return sorted(found, key=lambda pc: (not pc.live, -pc.last_seen.timestamp(), pc.pc))
