"""Handover (人事異動): deactivating a user, and revoking a departing chief's key.

A chief's action confirmed by password. A deactivated user can no longer act. A deactivated
chief's key is revoked by a revocation signed by the acting chief (chaining to the root), kept
in the database and in the audit chain: from then on nothing that key signs is accepted, while
what it signed before stays verifiable in the audit. The last active chief cannot go.
"""

from __future__ import annotations

import base64

from kodaira_desktop.domain.records import User
from kodaira_desktop.security import chief_keys
from kodaira_desktop.security.revocation import sign_revocation
from kodaira_desktop.services import accounts, audit, chiefs, policy_admin
from kodaira_desktop.services.context import AppContext, ServiceError


def deactivate_user(ctx: AppContext, login: str, password: str | None) -> User:
    key = accounts.require_chief(ctx, password, "users deactivate")
    target = ctx.store.get_user_by_login(login)
    if target is None:
        raise ServiceError(f"no user '{login}'", invalid=True)
    if not target.active:
        raise ServiceError(f"'{login}' is already deactivated", invalid=True)
    trust = chiefs.standing(ctx)
    acting = chiefs.acting_chief_keys(ctx)
    if login in acting and not set(acting) - {login}:
        raise ServiceError(
            f"{login} さんは最後の課長のため無効にできません。先に別の課長を追加してください "
            f"('{login}' is the last active chief and cannot be deactivated: "
            "add another chief first)",
            invalid=True,
        )
    details: dict[str, object] = {"role": target.role}
    record = None
    if target.public_key is not None:
        from kodaira_desktop.store.trust import RevocationRecord

        keeps = [
            chief_keys.fingerprint(u.public_key)
            for u in ctx.store.list_users()
            if u.endorsed_by == login
            and u.public_key is not None
            and trust.acting.get(u.login) == u.public_key
        ]
        # The policy in force may carry the departing chief's signature: sign it again first.
        in_force = ctx.store.latest_policy()
        if in_force is not None and in_force.set_by == login:
            policy_admin.resign_in_force(ctx, key, ctx.login)
        revocation = sign_revocation(
            key, ctx.login, login, target.public_key, keeps, ctx.clock.now()
        )
        record = RevocationRecord(
            revocation.login,
            revocation.fingerprint,
            revocation.keeps,
            revocation.revoked_by,
            revocation.revoked_at,
            revocation.signature,
        )
        details.update(
            revoked_fingerprint=revocation.fingerprint,
            keeps=list(revocation.keeps),
            revoked_at=revocation.revoked_at,
            revocation_signature=base64.b64encode(revocation.signature).decode("ascii"),
        )
    ctx.store.deactivate_with_revocation(
        login,
        record,
        audit.fields(ctx, "user.deactivated", login, details),
        audit.chain_hash,
    )
    audit.anchor(ctx)
    chiefs.standing(ctx)  # this PC now remembers the revocation outside the database
    user = ctx.store.get_user_by_login(login)
    assert user is not None
    return user
