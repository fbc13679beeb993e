"""First run: where the queue lives, the first chief, joining a second PC, and registering a
login that is not yet a user (the window's first-run wizard and its unregistered screen).

Nothing here imports Qt. The database password never reaches a file: it goes into the OS
keyring (``DATABASE_PASSWORD_SECRET``) and the URL saved to this user's ``config.toml`` has
none.
"""

from __future__ import annotations

import dataclasses
import socket
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from kodaira_desktop.domain.records import User
from kodaira_desktop.security import chief_keys, trust_root
from kodaira_desktop.services import accounts
from kodaira_desktop.services.context import DATABASE_PASSWORD_SECRET, AppContext, ServiceError
from kodaira_desktop.site_config import SiteConfigError, write_user_database_url

#: Seconds a connection attempt to a shared server may take before it is called unreachable.
CONNECT_TIMEOUT_S = 5


class SetupState(Enum):
    #: The database has no chief and this PC no root: create the first chief here.
    NO_CHIEF = "no_chief"
    #: The database has chiefs but this PC has no pinned root: import trust-root.toml.
    JOIN = "join"
    #: Chiefs, and the root pinned here: nothing to set up.
    READY = "ready"


@dataclass(frozen=True)
class Location:
    """Where the queue lives: this PC (SQLite) or a shared server (PostgreSQL)."""

    url: str
    #: The server's password (None for SQLite, or when the keyring already has it).
    password: str | None = None

    @property
    def is_server(self) -> bool:
        return not self.url.startswith("sqlite")


def local_url(ctx: AppContext) -> str:
    """この PC: the SQLite file in use, else the default one in the per-user data folder."""
    return ctx.database_url if not ctx.is_shared_server else ctx.paths.default_database_url


def split_password(url: str) -> tuple[str, str | None]:
    """``postgresql+psycopg://u:pw@host/db`` → (``postgresql+psycopg://u@host/db``, ``pw``)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise ServiceError(
            "サーバーの URL の形式が正しくありません（例：postgresql://kodaira@dbhost/kodaira） "
            "(not a database URL)",
            invalid=True,
        ) from None
    if parsed.get_backend_name() != "postgresql":
        raise ServiceError(
            "共有サーバーの URL は postgresql:// で始めてください "
            "(a shared server URL starts with postgresql://)",
            invalid=True,
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    password = parsed.password
    bare = parsed._replace(password=None).render_as_string(hide_password=False)
    return bare, (str(password) if password else None)


def context_at(ctx: AppContext, url: str, login: str | None = None) -> AppContext:
    """A new context on ``url`` (and acting as ``login``); nothing of ``ctx``'s connection
    is shared."""
    return dataclasses.replace(ctx, database_url=url, login=login or ctx.login)


def connect(ctx: AppContext, location: Location) -> tuple[AppContext, SetupState]:
    """Open (create or upgrade) the database at ``location`` and say what is left to set up.

    A shared server's connection is tried first with the password given, and the reason for
    a failure is one Japanese sentence; only once it connects is the password put into the
    keyring. Returns a new context on that database."""
    if location.is_server:
        _try_server(location.url, location.password or _stored_password(ctx))
        if location.password:
            from kodaira_desktop.security.secrets import SecretStoreError

            try:
                ctx.secrets.set_secret(DATABASE_PASSWORD_SECRET, location.password)
            except SecretStoreError as error:
                raise ServiceError(
                    f"パスワードを OS の資格情報ストア（キーリング）に保存できません：{error}",
                    invalid=True,
                ) from None
    target = context_at(ctx, location.url)
    try:
        chiefs_there = target.store.list_users(role="chief")
    except ServiceError:
        target.close()
        raise
    except Exception as error:
        target.close()
        raise ServiceError(connection_reason(error), invalid=True) from None
    pinned = accounts.trust_root_path(target) is not None
    if not chiefs_there:
        if pinned:
            target.close()
            raise ServiceError(
                "この PC には信頼の起点が設定済みですが、このデータベースには課長がいません。"
                "接続先が正しいか確認してください (this PC has a pinned root of trust but the "
                "database has no chief: check the location)",
                invalid=True,
            )
        return target, SetupState.NO_CHIEF
    return target, SetupState.READY if pinned else SetupState.JOIN


def remember(ctx: AppContext, location: Location) -> Path | None:
    """Save the URL (never the password) to this user's config.toml for the next start; この
    PC's default file needs no setting. Nothing is saved when the URL in use came from the
    command line or the environment: they come first on the next start too."""
    origin = ctx.settings.database_url.origin if ctx.settings is not None else "default"
    if origin == "command line" or origin.startswith("environment"):
        return None
    url = location.url if location.url != ctx.paths.default_database_url else None
    try:
        return write_user_database_url(ctx.paths.config_dir, url)
    except (SiteConfigError, OSError) as error:
        raise ServiceError(f"設定を保存できません：{error}") from None


def _stored_password(ctx: AppContext) -> str | None:
    try:
        return ctx.secrets.get_secret(DATABASE_PASSWORD_SECRET)
    except Exception:
        return None


def _try_server(url: str, password: str | None) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    try:
        with psycopg.connect(
            host=parsed.host or "localhost",
            port=parsed.port or 5432,
            user=parsed.username,
            password=password or None,
            dbname=parsed.database,
            connect_timeout=CONNECT_TIMEOUT_S,
        ) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        raise ServiceError(connection_reason(error), invalid=True) from None


def connection_reason(error: BaseException) -> str:
    """One Japanese sentence saying why the database could not be opened."""
    cause = getattr(error, "orig", None) or error
    text = str(cause).lower()
    if "password authentication failed" in text or "no password supplied" in text:
        return "ユーザー名またはパスワードが違います。サーバーの管理者に確認してください。"
    if "does not exist" in text and "database" in text:
        return "そのデータベースはサーバーにありません。データベース名を確認してください。"
    if (
        "could not translate host name" in text
        or "failed to resolve host" in text
        or "name or service not known" in text
        or "nodename nor servname" in text
    ):
        return "サーバー名が見つかりません。サーバー名の綴りとネットワークを確認してください。"
    if "connection refused" in text:
        return (
            "サーバーが接続を拒否しました。ポート番号と、サーバーが動いているかを確認してください。"
        )
    if "timeout" in text or "timed out" in text:
        return "サーバーから応答がありません。ネットワークとサーバー名を確認してください。"
    if "unable to open" in text:
        return "データベースのファイルを開けません。フォルダーの場所と権限を確認してください。"
    first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return f"データベースに接続できません：{first}"


# -- the first chief -------------------------------------------------------------------------


def password_hint(password: str) -> str:
    """How strong a new password looks, and how to make it stronger (a hint, not a rule)."""
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        return f"弱い：{accounts.MIN_PASSWORD_LENGTH}文字以上にしてください"
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if (len(password) >= 12 and kinds >= 3) or len(password) >= 16:
        return "強い"
    return "普通：12文字以上にするか、大文字・数字・記号を混ぜるとより安全です"


def create_first_chief(
    ctx: AppContext, login: str, display_name: str, password: str, again: str
) -> AppContext:
    """Create the first chief (as ``init --chief``), pin the root of trust here, and return a
    context acting as that chief."""
    login = login.strip()
    if not login:
        raise ServiceError("ログイン名を入力してください (a login name is needed)", invalid=True)
    if password != again:
        raise ServiceError(
            "2回入力したパスワードが一致しません (the passwords differ)", invalid=True
        )
    accounts.check_new_password(password)
    from kodaira_desktop.services import policy_admin

    chief = context_at(ctx, ctx.database_url, login)
    try:
        accounts.initialize(
            chief,
            login,
            password,
            display_name.strip() or login,
            policy_text=policy_admin.local_policy_text(ctx),
        )
    except Exception:
        chief.close()
        raise
    return chief


def pinned_fingerprint(ctx: AppContext) -> str:
    root = accounts.read_root(ctx)
    return root.fingerprint if root is not None else ""


# -- a second PC -----------------------------------------------------------------------------


def read_trust_root_file(path: Path) -> trust_root.TrustRoot:
    """The root in a trust-root.toml chosen by the user (its fingerprint is shown)."""
    try:
        root = trust_root.read_trust_root(path)
    except trust_root.TrustRootError as error:
        raise ServiceError(str(error), invalid=True) from None
    if root is None:
        raise ServiceError(f"ファイルがありません：{path}", invalid=True)
    return root


def import_trust_root(ctx: AppContext, path: Path) -> trust_root.TrustRoot:
    """Pin the first PC's trust-root.toml here, only when it names a chief of this database
    whose key has that fingerprint (a file from another office or a forged one is refused)."""
    root = read_trust_root_file(path)
    user = ctx.store.get_user_by_login(root.chief_login)
    if (
        user is None
        or user.role != "chief"
        or user.public_key is None
        or chief_keys.fingerprint(user.public_key) != root.fingerprint
    ):
        raise ServiceError(
            "このファイルの指紋は、このデータベースの課長の鍵と一致しません。"
            "最初の PC の trust-root.toml か確認してください "
            "(the file does not match any chief of this database)",
            invalid=True,
        )
    last: OSError | trust_root.TrustRootError | None = None
    for candidate in ctx.paths.trust_root_candidates:
        try:
            trust_root.write_trust_root(candidate, root.fingerprint, root.chief_login)
            return root
        except (OSError, trust_root.TrustRootError) as error:
            last = error
    raise ServiceError(f"信頼の起点を保存できません：{last}")


# -- a login that is not registered ----------------------------------------------------------


def chief_names(ctx: AppContext) -> list[User]:
    """The active chiefs (to show who to ask)."""
    return ctx.store.list_users(role="chief", active_only=True)


def acting_chiefs(ctx: AppContext) -> list[User]:
    """The chiefs who may register someone on this PC (trusted here, not revoked, active)."""
    trusted = accounts.trusted_chief_keys(ctx)
    return [user for user in chief_names(ctx) if user.login in trusted]


def registration_request(ctx: AppContext) -> str:
    """The text an unregistered user sends their chief (login, PC name, date)."""
    from kodaira_desktop.domain.dates_ja import format_day

    today = ctx.policy.localize(ctx.clock.now()).date()
    return (
        "小平市 SNS投稿予約の利用者登録をお願いします。\n"
        f"ログイン名：{ctx.login}\n"
        f"PC名：{socket.gethostname()}\n"
        f"日付：{format_day(today)}\n"
        "担当する媒体：\n"
    )


def register_here(
    ctx: AppContext,
    chief_login: str,
    chief_password: str,
    display_name: str,
    channels: list[str],
) -> User:
    """A chief at this PC registers ``ctx.login`` as staff with ``channels`` (as ``users add``,
    confirmed with the chief's password)."""
    chief = context_at(ctx, ctx.database_url, chief_login)
    try:
        return accounts.add_user(
            chief,
            ctx.login,
            "staff",
            channels,
            display_name=display_name.strip() or ctx.login,
            chief_password=chief_password,
            new_password=None,
        )
    finally:
        chief.close()


def channel_choices(ctx: AppContext) -> list[tuple[str, str]]:
    """(key, name) of each channel, for the designation checkboxes."""
    return [(channel.key, channel.display_name) for channel in ctx.store.list_channels()]
