"""Channel suspension (停止) and service credentials — both the chief's actions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kodaira_desktop.domain.records import Channel, Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import accounts, audit
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.services.policy_admin import policy_in_force

S = EntryState
SUSPENDED_NOTE = "チャンネル停止中のため保留"


def get_channel(ctx: AppContext, key: str) -> Channel:
    channel = ctx.store.get_channel(key)
    if channel is None:
        known = ", ".join(c.key for c in ctx.store.list_channels())
        raise ServiceError(f"unknown channel {key!r} (known: {known})", invalid=True)
    return channel


def suspend(ctx: AppContext, key: str, reason: str, password: str | None) -> list[int]:
    """Suspend a channel; its waiting entries are held (kept, not sent). Returns them."""
    if not reason.strip():
        raise ServiceError(
            "停止の理由が必要です。市のウェブサイトで公表されます (a reason is required)",
            invalid=True,
        )
    get_channel(ctx, key)
    accounts.require_chief(ctx, password, "channels suspend")
    ctx.store.set_suspended(key, True, reason=reason, by=ctx.login)
    held = [
        e.id
        for e in _waiting(ctx, key, (S.SCHEDULED, S.RETRY_WAIT, S.AWAITING_APPROVAL))
        if ctx.store.transition(
            e.id, e.state, e.version, S.HELD, last_error=f"{SUSPENDED_NOTE}：{reason}"
        )
    ]
    audit.record(ctx, "channel.suspended", f"channel:{key}", {"reason": reason, "held": held})
    return held


def resume(ctx: AppContext, key: str, password: str | None) -> list[int]:
    """Resume a channel and release its held entries, re-checked against the policy: an entry
    whose time has passed moves to the next allowed instant."""
    get_channel(ctx, key)
    accounts.require_chief(ctx, password, "channels resume")
    policy = policy_in_force(ctx)
    ctx.store.set_suspended(key, False, by=ctx.login)
    now = ctx.clock.now()
    released = []
    for entry in _waiting(ctx, key, (S.HELD,)):
        if not (entry.last_error or "").startswith(SUSPENDED_NOTE):
            continue
        when = entry.scheduled_at
        if when < now or not policy.check(when).allowed:
            when = policy.next_allowed(max(when, now))
        if ctx.store.transition(
            entry.id, S.HELD, entry.version, S.SCHEDULED, scheduled_at=when, last_error=None
        ):
            released.append(entry.id)
    audit.record(ctx, "channel.resumed", f"channel:{key}", {"released": released})
    return released


def _waiting(ctx: AppContext, key: str, states: tuple[EntryState, ...]) -> list[Entry]:
    return ctx.store.list_entries(states=states, channels=[key])


def set_credentials(
    ctx: AppContext, key: str, fields: Mapping[str, object], password: str | None
) -> tuple[str, ...]:
    from kodaira_desktop.platforms.base import CredentialsError
    from kodaira_desktop.platforms.registry import validate_credentials

    channel = get_channel(ctx, key)
    if not all(isinstance(v, str) for v in fields.values()):
        raise ServiceError("every credential field must be a string", invalid=True)
    try:
        clean = validate_credentials(channel.platform, {k: str(v) for k, v in fields.items()})
    except CredentialsError as error:
        raise ServiceError(str(error), invalid=True) from error
    try:  # refused input writes nothing, not even the chief's confirmation
        type(ctx.secrets).validate_channel_credentials(key, clean)
    except ValueError as error:
        raise ServiceError(str(error), invalid=True) from error
    accounts.require_chief(ctx, password, "credentials set")
    ctx.secrets.set_channel_credentials(key, clean)
    names = tuple(sorted(clean))
    audit.record(ctx, "credentials.set", f"channel:{key}", {"fields": list(names)})
    return names


@dataclass(frozen=True)
class AccountCheck:
    """What the service said about the account the credentials belong to."""

    #: 「小平市 (@kodaira_koho)」: the account's name and id as the service reports them.
    account: str
    #: X: the @handle (shown in the composer's previews); None for the other platforms.
    handle: str | None = None


def check_credentials(ctx: AppContext, key: str) -> str:
    return check_account(ctx, key).account


def check_account(ctx: AppContext, key: str) -> AccountCheck:
    """Ask the service, live, whose account the stored credentials open."""
    from kodaira_desktop.platforms.base import CredentialsError, PublishError
    from kodaira_desktop.platforms.registry import REQUIRED_FIELDS, make_publisher
    from kodaira_desktop.platforms.x import XPublisher

    channel = get_channel(ctx, key)
    try:
        credentials = ctx.secrets.get_channel_credentials(key, REQUIRED_FIELDS[channel.platform])
        publisher = make_publisher(channel.platform, credentials, ctx.endpoints, timeout=15.0)
    except (CredentialsError, Exception) as error:
        raise ServiceError(f"{key}: {error}") from error
    try:
        account = publisher.check_credentials()
        username = publisher.checked_username if isinstance(publisher, XPublisher) else None
        return AccountCheck(account, f"@{username}" if username else None)
    except PublishError as error:
        raise ServiceError(f"{key}: {error.message_ja}") from error
    finally:
        publisher.close()


def line_quota(ctx: AppContext, key: str = "line") -> str | None:
    """The LINE account's monthly broadcast quota, as a sentence; None when unknown
    (no credentials, or the service cannot be reached)."""
    from kodaira_desktop.platforms.line import LinePublisher
    from kodaira_desktop.platforms.registry import REQUIRED_FIELDS, make_publisher

    try:
        credentials = ctx.secrets.get_channel_credentials(key, REQUIRED_FIELDS["line"])
        publisher = make_publisher("line", credentials, ctx.endpoints, timeout=10.0)
    except Exception:
        return None
    try:
        assert isinstance(publisher, LinePublisher)
        quota = publisher.quota()
    except Exception:
        return None
    finally:
        publisher.close()
    if quota.limit is None:
        return f"LINE: 今月 {quota.used} 通送信済み（上限なし）"
    return f"LINE: 今月 {quota.used} / {quota.limit} 通（残り {quota.limit - quota.used} 通）"
