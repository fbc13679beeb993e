"""Users, roles, designations and the chief's confirmation (a password that unlocks a key)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from kodaira_desktop.domain.records import Role, User
from kodaira_desktop.security import chief_keys, trust_root
from kodaira_desktop.security.chief_keys import ChiefKeyMaterial, UnlockedKey
from kodaira_desktop.security.lockout import LockoutPolicy, remaining
from kodaira_desktop.services import audit, chiefs
from kodaira_desktop.services.context import AppContext, ServiceError

MIN_PASSWORD_LENGTH = 8
LOCKOUT = LockoutPolicy(max_attempts=5, lock_minutes=10)


def acting_user(ctx: AppContext) -> User:
    user = ctx.store.get_user_by_login(ctx.login)
    if user is None or not user.active:
        raise ServiceError(
            f"{ctx.login} さんは登録されていません。課長に登録を依頼してください "
            f"('{ctx.login}' is not a registered user: "
            "ask the chief to add you "
            f"(kodaira-desktop users add {ctx.login} --role staff --channels ...)",
            invalid=True,
        )
    return user


def chief_exists(ctx: AppContext) -> bool:
    return bool(ctx.store.list_users(role="chief", active_only=True))


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください "
            f"(at least {MIN_PASSWORD_LENGTH} characters)",
            invalid=True,
        )


def _material(user: User) -> ChiefKeyMaterial:
    if user.public_key is None or user.encrypted_private_key is None or not user.kdf_params:
        raise ServiceError(f"chief '{user.login}' has no confirmation key; run init again")
    return ChiefKeyMaterial(
        public_key=user.public_key,
        encrypted_private_key=user.encrypted_private_key,
        kdf_params=json.loads(user.kdf_params),
    )


def confirm_chief(
    ctx: AppContext, login: str, password: str, *, action: str = "confirm"
) -> UnlockedKey:
    """Unlock a chief's key with their password. The user must be a chief under the one rule
    (:mod:`kodaira_desktop.services.chiefs`). Every attempt is audited; five wrong ones in a
    row lock that chief's confirmation for ten minutes."""
    user = chiefs.require_chief(ctx, login, action)
    now = ctx.clock.now()
    if user.is_locked(now):
        minutes = max(1, round(remaining(user.locked_until, now).total_seconds() / 60))
        audit.record(ctx, "chief.confirm_locked", login, {}, actor=login)
        raise ServiceError(
            f"パスワード誤りが続いたため、あと{minutes}分ロックされています "
            "(too many wrong passwords: "
            f"{login}'s confirmation is locked for {minutes} more minute(s))"
        )
    try:
        key = chief_keys.unlock(_material(user), password)
    except chief_keys.WrongPassword:
        after = ctx.store.record_attempt(
            login,
            succeeded=False,
            max_failures=LOCKOUT.max_attempts,
            lockout=timedelta(minutes=LOCKOUT.lock_minutes),
        )
        audit.record(
            ctx,
            "chief.password_wrong",
            login,
            {"failed_attempts": after.failed_attempts},
            actor=login,
        )
        raise ServiceError(f"パスワードが違います (wrong password for {login})") from None
    ctx.store.record_attempt(login, succeeded=True)
    audit.record(ctx, "chief.confirmed", login, {}, actor=login)
    return key


def _create_chief_key(ctx: AppContext, login: str, password: str) -> ChiefKeyMaterial:
    check_new_password(password)
    return chief_keys.generate_chief_key(password, cost=ctx_cost(ctx))


def ctx_cost(ctx: AppContext) -> chief_keys.ScryptCost:
    """The scrypt cost; tests lower it with KODAIRA_TEST_SCRYPT_N (never below 2**10)."""
    test_n = ctx.environ.get("KODAIRA_TEST_SCRYPT_N")
    if test_n:
        return chief_keys.ScryptCost(n=max(2**10, int(test_n)))
    return chief_keys.DEFAULT_COST


def trust_root_path(ctx: AppContext) -> Path | None:
    for candidate in ctx.paths.trust_root_candidates:
        if candidate.exists():
            return candidate
    return None


def read_root(ctx: AppContext) -> trust_root.TrustRoot | None:
    path = trust_root_path(ctx)
    return trust_root.read_trust_root(path) if path else None


def _pin_root(ctx: AppContext, login: str, public_key: bytes, *, replace: bool = False) -> Path:
    """Write the root of trust machine-wide, or per user when the machine folder is not
    writable (a non-administrator install). Never over an existing root unless ``replace``
    (``init --repin``, the administrator's explicit step)."""
    existing = trust_root_path(ctx)
    if existing is not None and not replace:
        raise ServiceError(
            f"この PC には信頼の起点がすでにあります（{existing}） "
            f"(a root of trust is already pinned on this PC in {existing}; "
            "only 'init --repin' run by an administrator replaces it)",
            invalid=True,
        )
    candidates = (existing,) if existing is not None else ctx.paths.trust_root_candidates
    last_error: OSError | None = None
    for candidate in candidates:
        try:
            trust_root.write_trust_root(
                candidate, chief_keys.fingerprint(public_key), login, replace=replace
            )
            return candidate
        except OSError as error:
            last_error = error
    raise ServiceError(f"cannot write the root of trust: {last_error}")


def may_bootstrap(ctx: AppContext) -> bool:
    """True only while this PC has no pinned root and the database has no chief at all: then
    the first chief may be created without another chief's password. What the database says
    about chiefs (inactive, deleted) never re-opens this once a root is pinned here."""
    return trust_root_path(ctx) is None and not ctx.store.list_users(role="chief")


def _refuse_pinned(ctx: AppContext) -> ServiceError:
    return ServiceError(
        f"この PC には信頼の起点がすでに設定されています（{trust_root_path(ctx)}）。課長の追加は"
        "課長が 'users add NAME --role chief' で行います "
        "(a root of trust is already pinned on this PC: a chief adds further chiefs with "
        "'users add NAME --role chief'; replacing the root is 'init --repin', an "
        "administrator's step)",
        invalid=True,
    )


def initialize(
    ctx: AppContext,
    chief_login: str,
    password: str | None,
    display: str,
    *,
    policy_text: str | None = None,
) -> str:
    """Create or upgrade the database and, on a PC with no pinned root, create the first chief,
    pin the root and store the first signed policy. Returns a summary."""
    store = ctx.store  # opening it creates/upgrades the schema and seeds the channels
    existing = store.get_user_by_login(chief_login)
    if trust_root_path(ctx) is not None:
        if existing is not None and chiefs.is_chief(ctx, existing):
            if store.latest_policy() is None:  # a database from before policies were signed
                return (
                    f"database up to date; chief {chief_login} exists; no signed posting "
                    "policy yet: a chief runs 'policy set FILE' before anything is published"
                )
            return f"database up to date; chief {chief_login} exists"
        raise _refuse_pinned(ctx)
    if store.list_users(role="chief"):
        raise ServiceError(
            "the database already has a chief but this PC has no pinned root of trust; "
            "copy trust-root.toml from the first PC into the machine config folder",
            invalid=True,
        )
    if password is None:
        raise ServiceError("a password for the chief is required", invalid=True)
    return _create_root_chief(ctx, chief_login, password, display, policy_text, replace=False)


def repin(
    ctx: AppContext,
    chief_login: str,
    password: str,
    display: str,
    *,
    policy_text: str | None = None,
) -> str:
    """``init --repin``: the administrator replaces this PC's pinned root with a new key for
    ``chief_login``. The old chain no longer counts here: other chiefs are endorsed again by
    the new root chief (``users add``), and the policy is signed again."""
    old = read_root(ctx)
    summary = _create_root_chief(ctx, chief_login, password, display, policy_text, replace=True)
    root = read_root(ctx)
    audit.record(
        ctx,
        "trust_root.repinned",
        chief_login,
        {
            "old_fingerprint": old.fingerprint if old else None,
            "old_chief": old.chief_login if old else None,
            "new_fingerprint": root.fingerprint if root else None,
        },
        actor=chief_login,
    )
    return summary.replace("root of trust pinned", "root of trust RE-PINNED")


def _create_root_chief(
    ctx: AppContext,
    chief_login: str,
    password: str,
    display: str,
    policy_text: str | None,
    *,
    replace: bool,
) -> str:
    from kodaira_desktop.services import policy_admin

    store = ctx.store
    body = policy_admin.validated_body(policy_text)
    material = _create_chief_key(ctx, chief_login, password)
    existing = store.get_user_by_login(chief_login)
    path = _pin_root(ctx, chief_login, material.public_key, replace=replace)
    if existing is None:
        store.add_user(chief_login, display or chief_login, "chief")
    elif existing.role != "chief" or not existing.active:
        raise ServiceError(
            f"'{chief_login}' exists but is not an active chief: choose another name",
            invalid=True,
        )
    _store_key(ctx, chief_login, material)
    audit.record(
        ctx,
        "user.chief_created",
        chief_login,
        {"fingerprint": chief_keys.fingerprint(material.public_key), "root": True},
        actor=chief_login,
    )
    key = chief_keys.unlock(material, password)
    policy_admin.store_policy(ctx, key, chief_login, body, first=not replace)
    return (
        f"database ready; chief {chief_login} created; root of trust pinned in {path} "
        f"({chief_keys.short_fingerprint(material.public_key)})"
    )


def _store_key(
    ctx: AppContext,
    login: str,
    material: ChiefKeyMaterial,
    endorsed_by: str | None = None,
    endorsement: bytes | None = None,
) -> None:
    ctx.store.set_chief_key(
        login,
        public_key=material.public_key,
        encrypted_private_key=material.encrypted_private_key,
        kdf_params=json.dumps(dict(material.kdf_params)),
        endorsed_by=endorsed_by,
        endorsement=endorsement,
    )


def parse_channels(ctx: AppContext, spec: str | Iterable[str]) -> list[str]:
    keys = [k.strip() for k in spec.split(",")] if isinstance(spec, str) else list(spec)
    keys = [k for k in keys if k]
    known = {channel.key for channel in ctx.store.list_channels()}
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ServiceError(
            f"unknown channel {unknown[0]!r} (known: {', '.join(sorted(known))})", invalid=True
        )
    return keys


def require_chief(ctx: AppContext, password: str | None, action: str = "confirm") -> UnlockedKey:
    """The acting user must be a chief (the one rule) and confirm with their password."""
    chiefs.require_chief(ctx, ctx.login, action)
    if password is None:
        raise ServiceError("this action needs the chief's password", invalid=True)
    return confirm_chief(ctx, ctx.login, password, action=action)


def add_user(
    ctx: AppContext,
    login: str,
    role: Role,
    channels: str | Iterable[str],
    *,
    display_name: str | None,
    chief_password: str | None,
    new_password: str | None,
) -> User:
    keys = parse_channels(ctx, channels)
    if ctx.store.get_user_by_login(login) is not None:
        raise ServiceError(f"user '{login}' already exists", invalid=True)
    if may_bootstrap(ctx):
        # No root pinned on this PC and no chief in the database: the first chief, like init.
        if role != "chief":
            raise ServiceError("there is no chief yet: create one first (init --chief NAME)")
        if new_password is None:
            raise ServiceError(f"a password for the new chief '{login}' is needed", invalid=True)
        from kodaira_desktop.services import policy_admin

        policy_text = policy_admin.local_policy_text(ctx)
        _create_root_chief(
            ctx, login, new_password, display_name or login, policy_text, replace=False
        )
        if keys:
            ctx.store.set_designations(login, keys)
        audit.record(ctx, "user.added", login, {"role": role, "channels": keys})
        created = ctx.store.get_user_by_login(login)
        assert created is not None
        return created
    endorser = require_chief(ctx, chief_password, "users add")
    material = None
    if role == "chief":
        if new_password is None:
            raise ServiceError(f"a password for the new chief '{login}' is needed", invalid=True)
        material = _create_chief_key(ctx, login, new_password)
    user = ctx.store.add_user(login, display_name or login, role, keys)
    if material is not None:
        endorsement = chief_keys.endorse_chief(endorser, login, material.public_key)
        _store_key(ctx, login, material, ctx.login, endorsement)
    audit.record(ctx, "user.added", login, {"role": role, "channels": keys})
    return ctx.store.get_user_by_login(login) or user


def set_designations(
    ctx: AppContext, login: str, channels: str | Iterable[str], chief_password: str | None
) -> User:
    keys = parse_channels(ctx, channels)
    require_chief(ctx, chief_password, "users designate")
    if ctx.store.get_user_by_login(login) is None:
        raise ServiceError(f"no user '{login}'", invalid=True)
    user = ctx.store.set_designations(login, keys)
    audit.record(ctx, "user.designations_changed", login, {"channels": keys})
    return user


def change_password(ctx: AppContext, old: str, new: str) -> None:
    key = confirm_chief(ctx, ctx.login, old, action="users passwd")
    del key
    check_new_password(new)
    user = acting_user(ctx)
    material = chief_keys.change_password(_material(user), old, new, cost=ctx_cost(ctx))
    _store_key(ctx, user.login, material, user.endorsed_by, user.endorsement)
    audit.record(ctx, "user.password_changed", user.login, {})


def trusted_chief_keys(ctx: AppContext) -> dict[str, bytes]:
    """Chiefs who may act now: keys chaining to the root pinned on this PC, not revoked, active
    (empty when no root is pinned)."""
    return chiefs.acting_chief_keys(ctx)
