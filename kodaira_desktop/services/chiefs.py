"""The one rule of who is a chief, used by every chief action (command line, window and
dispatcher alike):

a user is a chief only if their key chains by endorsement signatures to the root of trust
pinned on this PC (outside the database), their key is not revoked, and they are active.

``role = 'chief'`` in the database is necessary but never sufficient: anyone who can write the
database can write that.
"""

from __future__ import annotations

import contextlib

from kodaira_desktop.domain.records import User
from kodaira_desktop.security import audit_anchor, revocation
from kodaira_desktop.security.chief_keys import ChiefRecord
from kodaira_desktop.services import audit
from kodaira_desktop.services.context import AppContext, ServiceError


def standing(ctx: AppContext) -> revocation.ChiefTrust:
    """The chain of trust as this PC sees it now."""
    from kodaira_desktop.security.trust_root import TrustRootError
    from kodaira_desktop.services.accounts import read_root

    try:
        root = read_root(ctx)
    except TrustRootError as error:
        raise ServiceError(str(error)) from error
    records = [
        ChiefRecord(u.login, u.public_key, u.endorsed_by, u.endorsement)
        for u in ctx.store.list_users()
        if u.public_key is not None
    ]
    revocations = [
        revocation.Revocation(
            r.login, r.fingerprint, r.keeps, r.revoked_by, r.revoked_at, r.signature
        )
        for r in ctx.store.list_revocations()
    ]
    # Revocations this PC has seen before count even if their rows were deleted since.
    seen = audit_anchor.read_revocations(ctx.paths.config_dir, ctx.database_url)
    local = [r for r in map(revocation.from_plain, seen) if r is not None]
    trust = revocation.evaluate(
        root.fingerprint if root else None,
        root.chief_login if root else None,
        records,
        [*revocations, *(r for r in local if r not in revocations)],
    )
    verified = [revocation.to_plain(r) for r in trust.revoked.values()]
    if any(r not in seen for r in verified):
        with contextlib.suppress(OSError):  # the database rows still hold it
            audit_anchor.remember_revocations(ctx.paths.config_dir, ctx.database_url, verified)
    return trust


def acting_chief_keys(ctx: AppContext) -> dict[str, bytes]:
    """login -> public key of every user who may act as a chief right now."""
    trust = standing(ctx)
    active = {u.login for u in ctx.store.list_users(role="chief", active_only=True)}
    return {login: key for login, key in trust.acting.items() if login in active}


def why_not_chief(user: User | None, trust: revocation.ChiefTrust) -> str | None:
    """None when ``user`` is a chief under the one rule; otherwise the reason, in English."""
    if user is None:
        return "not a registered user"
    if user.role != "chief":
        return "not a chief"
    if not user.active:
        return "deactivated"
    if user.public_key is None:
        return "has no chief key"
    if trust.acting.get(user.login) != user.public_key:
        return trust.rejected.get(user.login, "the key does not chain to the pinned root of trust")
    return None


def is_chief(ctx: AppContext, user: User | None) -> bool:
    return user is not None and user.role == "chief" and why_not_chief(user, standing(ctx)) is None


def require_chief(ctx: AppContext, login: str, action: str) -> User:
    """The user named ``login`` as a chief under the one rule, or a refusal (exit 2) that is
    audited with the reason."""
    user = ctx.store.get_user_by_login(login)
    why = why_not_chief(user, standing(ctx))
    if why is None:
        assert user is not None
        return user
    audit.record(ctx, "chief.refused", login, {"action": action, "why": why}, actor=login)
    raise ServiceError(
        f"{login} さんは課長として認められません（{why}） "
        f"('{login}' is not a chief: {why}; refused: {action})",
        invalid=True,
    )
