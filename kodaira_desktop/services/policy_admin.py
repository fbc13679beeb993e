"""The posting policy in force, kept in the shared database and signed by a chief.

Every PC applies the same rules: the newest policy version in the database, accepted only when
its signature verifies with the key of a chief under the one rule (chaining to the root pinned
on this PC, not revoked, active) and its version is not older than one this PC already
accepted. When there is no such policy (unsigned, forged, rolled back, or none at all) nothing
is accepted out of hand: queueing and approving are refused and the dispatcher publishes
nothing, saying why, until a chief runs ``policy set`` (the safe choice: a database writer can
then delay posts, never widen the window).

A local ``--policy``/``KODAIRA_POLICY`` file only previews (the composer's and calendar's
greying); it is never used to accept or publish.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from datetime import datetime
from pathlib import Path

from kodaira_desktop.policy import PolicyError, PostingPolicy, parse_policy
from kodaira_desktop.security import audit_anchor, chief_keys
from kodaira_desktop.security.canonical import canonical_json, iso_utc
from kodaira_desktop.security.chief_keys import UnlockedKey
from kodaira_desktop.services import audit, chiefs
from kodaira_desktop.services.context import AppContext, ServiceError

POLICY_PURPOSE = "kodaira-posting-policy-v1"
MAX_POLICY_BYTES = 64 * 1024

#: The city's rules (CONTRACTS.md §2) as a policy file; stored by ``init`` without --policy.
DEFAULT_POLICY_TOML = """\
# 小平市の投稿ルール（既定） / Kodaira City's posting rules (default)
[policy]
timezone = "Asia/Tokyo"
weekdays = ["mon", "tue", "wed", "thu", "fri"]
start = "08:30"
end = "17:15"
year_end_closure = ["12-29", "01-03"]
holidays = "JP"
extra_closed_days = []
"""


def policy_payload(version: int, body: str, set_by: str, set_at: datetime) -> bytes:
    """The exact bytes a chief signs to put a policy in force."""
    return canonical_json(
        {
            "purpose": POLICY_PURPOSE,
            "version": version,
            "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
            "set_by": set_by,
            "set_at": iso_utc(set_at),
        }
    )


def validated_body(text: str | None) -> str:
    """``text`` (or the city's default) once it parses as a policy; a malformed one: exit 2."""
    body = DEFAULT_POLICY_TOML if text is None else text
    try:
        parse_policy(body, source="policy")
    except PolicyError as error:
        raise ServiceError(str(error), invalid=True) from error
    return body


def read_policy_file(path: str | Path) -> str:
    path = Path(path)
    try:
        if not path.is_file():
            raise ServiceError(f"{path}: not a regular policy file", invalid=True)
        if path.stat().st_size > MAX_POLICY_BYTES:
            raise ServiceError(f"{path}: a policy file is at most 64 KiB", invalid=True)
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ServiceError(
            f"{path}: cannot read the policy file ({error})", invalid=True
        ) from error


def local_policy_text(ctx: AppContext) -> str | None:
    """The local --policy/KODAIRA_POLICY file's text, if one was given."""
    return read_policy_file(ctx.policy_file) if ctx.policy_file else None


def store_policy(
    ctx: AppContext, key: UnlockedKey, login: str, body: str, *, first: bool = False
) -> int:
    """Sign ``body`` as the next version with ``key`` and store it with its audit record.
    With ``first``, nothing is stored when a policy already exists. Returns the version."""
    from kodaira_desktop.store.trust import PolicyRecord

    latest = ctx.store.latest_policy()
    if first and latest is not None:
        return latest.version
    version = (latest.version if latest else 0) + 1
    now = ctx.clock.now()
    signature = key.sign(policy_payload(version, body, login, now))
    record = PolicyRecord(version, body, login, now, signature)
    details = {
        "version": version,
        "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "fingerprint": key.fingerprint,
    }
    ctx.store.add_policy(
        record, audit.fields(ctx, "policy.set", "policy", details, actor=login), audit.chain_hash
    )
    audit.anchor(ctx)
    audit_anchor.advance(ctx.paths.config_dir, ctx.database_url, policy_version=version)
    return version


def set_policy(ctx: AppContext, text: str, password: str | None) -> int:
    """``policy set FILE``: a chief's action, signed with their key, audited."""
    from kodaira_desktop.services.accounts import require_chief

    body = validated_body(text)
    key = require_chief(ctx, password, "policy set")
    return store_policy(ctx, key, ctx.login, body)


def resign_in_force(ctx: AppContext, key: UnlockedKey, login: str) -> int | None:
    """Sign the policy in force again with ``key`` (before its signer's key is revoked).
    Nothing happens when no valid policy is in force."""
    try:
        body = in_force_body(ctx)
    except ServiceError:
        return None
    return store_policy(ctx, key, login, body)


def in_force_body(ctx: AppContext) -> str:
    """The text of the policy in force, verified; otherwise a refusal saying why (exit 2)."""
    record = ctx.store.latest_policy()
    if record is None:
        raise _refusal("the database holds no posting policy")
    seen = audit_anchor.read_anchor(ctx.paths.config_dir, ctx.database_url)
    if record.version < seen.policy_version:
        raise _refusal(
            f"the newest policy is version {record.version} but this PC already accepted "
            f"version {seen.policy_version} (rolled back)"
        )
    key = chiefs.acting_chief_keys(ctx).get(record.set_by)
    payload = policy_payload(record.version, record.body, record.set_by, record.set_at)
    if key is None or not chief_keys.verify_signature(key, payload, record.signature):
        raise _refusal(
            f"policy version {record.version} is not signed by a chief whose key chains to "
            "this PC's root of trust"
        )
    if record.version > seen.policy_version:
        with contextlib.suppress(OSError):
            audit_anchor.advance(
                ctx.paths.config_dir, ctx.database_url, policy_version=record.version
            )
    return record.body


def policy_in_force(ctx: AppContext) -> PostingPolicy:
    """The verified policy every acceptance check and the dispatcher use."""
    body = in_force_body(ctx)
    try:
        return _parsed(body)
    except PolicyError as error:
        raise _refusal(str(error)) from error


@functools.lru_cache(maxsize=8)
def _parsed(body: str) -> PostingPolicy:
    """Parsing checks the holiday country against every country the `holidays` package knows
    (about 0.4 s): done once per text and process. The city's default text needs no parsing."""
    if body == DEFAULT_POLICY_TOML:
        return PostingPolicy.default()
    return parse_policy(body, source="policy in the database")


def local_preview_note(ctx: AppContext) -> str | None:
    """A sentence when the local policy file differs from the one in force (shown in the
    status bar and by ``doctor``); None when there is none or it is the same."""
    if not ctx.policy_file:
        return None
    try:
        in_force = policy_in_force(ctx)
    except ServiceError:
        return (
            f"ローカルのポリシー {ctx.policy_file} はプレビューのみです "
            "(local policy: preview only)"
        )
    if in_force.config == ctx.policy.config:
        return None
    return (
        f"ローカルのポリシー {ctx.policy_file} は使用中のポリシーと異なり、プレビューのみです "
        f"(local policy {ctx.policy_file} differs from the policy in force: preview only, "
        "never used to accept or publish)"
    )


def _refusal(why: str) -> ServiceError:
    return ServiceError(
        f"有効な投稿ポリシーがありません。課長が 'policy set FILE' で設定してください "
        f"(no valid posting policy in force: {why}; a chief must run 'policy set FILE')",
        invalid=True,
    )
