"""Secrets live only in the OS keyring: this is the one wrapper around ``keyring``.

Layout (service ``kodaira-desktop``): one entry per field, because the Windows credential store
rejects long values, e.g. username ``channel:x-city:api_key``; ``channel:x-city:_fields``
lists the field names that are set (comma-separated names, never values); other secrets such
as the database password are ``secret:<name>``.

The backend is the OS keyring (``keyring.get_keyring()``, which IT can steer with keyring's own
``PYTHON_KEYRING_BACKEND`` / keyringrc.cfg). Tests select a test-only backend with
``KODAIRA_KEYRING=memory`` or ``KODAIRA_KEYRING=file:/dir`` (see :mod:`.keyring_backends`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, null
from keyring.errors import KeyringError, KeyringLocked, NoKeyringError

SERVICE_NAME = "kodaira-desktop"
KEYRING_ENV = "KODAIRA_KEYRING"

# The secret fields of each platform (CONTRACTS.md §4, `credentials set`).
PLATFORM_CREDENTIAL_FIELDS: Mapping[str, tuple[str, ...]] = {
    "x": ("api_key", "api_secret", "access_token", "access_token_secret"),
    "line": ("channel_access_token",),
    "facebook": ("page_id", "page_access_token"),
    "youtube": ("client_id", "client_secret", "refresh_token"),
}

# Windows allows 2560 bytes per credential blob and keyring stores UTF-16: 1280 code units.
MAX_VALUE_UTF16_UNITS = 1280
_CHANNEL_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_SECRET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@:/-]{0,199}")
_INDEX_FIELD = "_fields"
_PROBE_USERNAME = "probe:backend-info"
_T = TypeVar("_T")


class BackendStatus(StrEnum):
    OK = "ok"
    TEST_ONLY = "test_only"  # works, but a test backend: never in production
    LOCKED = "locked"
    NO_BACKEND = "no_backend"
    ERROR = "error"


@dataclass(frozen=True)
class BackendInfo:
    name: str
    ok: bool
    message_ja: str  # Japanese, then English: what is wrong and how to fix it
    status: BackendStatus = BackendStatus.OK


class SecretStoreError(Exception):
    """Base class; ``str()`` is one sentence for the user and never contains a secret."""


class KeyringUnavailableError(SecretStoreError):
    def __init__(self, info: BackendInfo) -> None:
        super().__init__(info.message_ja)
        self.info = info


class MissingCredentialsError(SecretStoreError):
    def __init__(self, channel_key: str, missing: Iterable[str]) -> None:
        self.channel_key = channel_key
        self.missing = tuple(missing)
        fields = ", ".join(self.missing)
        super().__init__(
            f"チャンネル「{channel_key}」の認証情報が足りません: {fields}。"
            f"`kodaira-desktop credentials set {channel_key}` で登録してください。 / "
            f"Missing credentials for channel {channel_key}: {fields}. "
            f"Store them with `kodaira-desktop credentials set {channel_key}`."
        )


class SecretFields(dict[str, str]):
    """A plain ``dict`` of field -> secret whose repr/str show only the field names."""

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{name!r}: '***'" for name in self) + "}"

    __str__ = __repr__


class SecretStore:
    """Channel credentials and other secrets, in the keyring only."""

    def __init__(self, backend: KeyringBackend | None = None, *, service: str = SERVICE_NAME):
        self._backend = backend if backend is not None else backend_from_env(os.environ)
        self._service = service

    @property
    def backend(self) -> KeyringBackend:
        return self._backend

    def __repr__(self) -> str:
        return f"SecretStore(backend={backend_name(self._backend)!r})"

    # --- channel credentials ---------------------------------------------------------------

    @staticmethod
    def validate_channel_credentials(channel_key: str, fields: Mapping[str, str]) -> None:
        """Raise ValueError (naming the field, never the value) for what
        :meth:`set_channel_credentials` would refuse, before anyone is asked to confirm."""
        _check_channel_key(channel_key)
        if not fields:
            raise ValueError("no credential fields given")
        for name, value in fields.items():
            _check_field(name, value)

    def set_channel_credentials(self, channel_key: str, fields: Mapping[str, str]) -> None:
        """Replace the channel's credentials with ``fields`` (fields not given are removed)."""
        _check_channel_key(channel_key)
        if not fields:
            raise ValueError("no credential fields given")
        for name, value in fields.items():
            _check_field(name, value)
        previous = self.channel_fields(channel_key)
        for name, value in fields.items():
            self._set(_field_user(channel_key, name), value)
        self._set(_field_user(channel_key, _INDEX_FIELD), ",".join(sorted(fields)))
        for stale in set(previous) - set(fields):
            self._delete(_field_user(channel_key, stale))

    def get_channel_credentials(
        self, channel_key: str, required: Iterable[str] = ()
    ) -> SecretFields:
        """The fields that are set; :class:`MissingCredentialsError` names any ``required`` one
        that is not."""
        _check_channel_key(channel_key)
        required = tuple(required)
        names = dict.fromkeys((*self.channel_fields(channel_key), *required))
        found = SecretFields()
        for name in names:
            value = self._get(_field_user(channel_key, name))
            if value:
                found[name] = value
        missing = [name for name in required if name not in found]
        if missing:
            raise MissingCredentialsError(channel_key, missing)
        return found

    def has_channel_credentials(self, channel_key: str, required: Iterable[str] = ()) -> bool:
        """All ``required`` fields set (or, with none given, any field at all)."""
        try:
            found = self.get_channel_credentials(channel_key, required)
        except MissingCredentialsError:
            return False
        return bool(found)

    def channel_fields(self, channel_key: str) -> tuple[str, ...]:
        """Names (never values) of the channel's fields, from the index entry."""
        _check_channel_key(channel_key)
        index = self._get(_field_user(channel_key, _INDEX_FIELD)) or ""
        return tuple(name for name in index.split(",") if _FIELD_NAME.fullmatch(name))

    def delete_channel_credentials(self, channel_key: str) -> None:
        for name in self.channel_fields(channel_key):
            self._delete(_field_user(channel_key, name))
        self._delete(_field_user(channel_key, _INDEX_FIELD))

    # --- other secrets ---------------------------------------------------------------------

    def set_secret(self, name: str, value: str) -> None:
        _check_secret_name(name)
        _check_value(name, value)
        self._set(f"secret:{name}", value)

    def get_secret(self, name: str) -> str | None:
        _check_secret_name(name)
        return self._get(f"secret:{name}") or None

    def delete_secret(self, name: str) -> None:
        _check_secret_name(name)
        self._delete(f"secret:{name}")

    # --- backend ---------------------------------------------------------------------------

    def backend_info(self) -> BackendInfo:
        """Which backend is in use and whether it works now (a harmless read probe)."""
        name = backend_name(self._backend)
        if isinstance(self._backend, null.Keyring) or _is_empty_chainer(self._backend):
            return _info(name, BackendStatus.NO_BACKEND)
        try:
            self._backend.get_password(self._service, _PROBE_USERNAME)
        except Exception as exc:
            return _failure_info(name, exc)
        if type(self._backend).__module__ == "kodaira_desktop.security.keyring_backends":
            return _info(name, BackendStatus.TEST_ONLY)
        return _info(name, BackendStatus.OK)

    def _guard(self, operation: Callable[[], _T]) -> _T:
        try:
            return operation()
        except KeyringError as exc:
            raise KeyringUnavailableError(_failure_info(backend_name(self._backend), exc)) from None

    def _get(self, username: str) -> str | None:
        return self._guard(lambda: self._backend.get_password(self._service, username))

    def _set(self, username: str, value: str) -> None:
        self._guard(lambda: self._backend.set_password(self._service, username, value))

    def _delete(self, username: str) -> None:
        # Real backends raise PasswordDeleteError for a missing entry: look first.
        if self._get(username) is not None:
            self._guard(lambda: self._backend.delete_password(self._service, username))


# --- backend selection and description ------------------------------------------------------


def backend_from_env(environ: Mapping[str, str]) -> KeyringBackend:
    """The OS keyring, unless ``KODAIRA_KEYRING`` selects a test-only backend."""
    spec = environ.get(KEYRING_ENV, "").strip()
    if spec in ("", "system"):
        return keyring.get_keyring()
    # Imported only here so production never loads the test backends.
    from kodaira_desktop.security import keyring_backends

    if spec == "memory":
        return keyring_backends.shared_memory_keyring()
    if spec.startswith("file:") and spec[len("file:") :].strip():
        return keyring_backends.FileKeyring(Path(spec[len("file:") :].strip()))
    raise ValueError(
        f"{KEYRING_ENV} には memory か file:/ディレクトリ（テスト専用）を指定するか、未設定に"
        f"してください。 / {KEYRING_ENV} must be 'memory' or 'file:/dir' (tests only), "
        f"or unset: {spec!r}"
    )


def backend_name(backend: KeyringBackend) -> str:
    """``module.Class`` of the backend; a chain lists its members."""
    cls = type(backend)
    label = f"{cls.__module__}.{cls.__name__}"
    if isinstance(backend, chainer.ChainerBackend):
        members = ", ".join(backend_name(member) for member in chainer.ChainerBackend.backends)
        label = f"{label}({members})"
    return label


def _is_empty_chainer(backend: KeyringBackend) -> bool:
    # An empty chain silently returns None for everything, like the null backend.
    return isinstance(backend, chainer.ChainerBackend) and not chainer.ChainerBackend.backends


def _failure_info(name: str, exc: BaseException) -> BackendInfo:
    if isinstance(exc, KeyringLocked):
        return _info(name, BackendStatus.LOCKED)
    if isinstance(exc, NoKeyringError):
        return _info(name, BackendStatus.NO_BACKEND)
    return _info(name, BackendStatus.ERROR, f"{type(exc).__name__}: {exc}")


def _info(name: str, status: BackendStatus, detail: str = "") -> BackendInfo:
    messages = {
        BackendStatus.OK: f"キーリング {name} を使用しています。 / Using keyring {name}.",
        BackendStatus.TEST_ONLY: (
            f"テスト専用のキーリング {name} を使用しています。本番では {KEYRING_ENV} を設定し"
            f"ないでください。 / Test-only keyring {name} in use: unset {KEYRING_ENV} in "
            "production."
        ),
        BackendStatus.LOCKED: (
            f"キーリング {name} がロックされています。OS のキーリング（Windows 資格情報マネー"
            "ジャー、macOS キーチェーン、GNOME キーリング/KWallet）のロックを解除してから、"
            f"もう一度実行してください。 / The keyring {name} is locked: unlock it (log in "
            "again or unlock the login keyring/keychain) and try again."
        ),
        BackendStatus.NO_BACKEND: (
            f"使用できるキーリングがありません（{name}）。Linux では gnome-keyring か KWallet"
            "（Secret Service）をインストールして起動してください。Windows と macOS では標準の"
            "ものが使われます。 / No usable keyring: on Linux install and start gnome-keyring "
            "or KWallet (Secret Service); Windows and macOS use their built-in stores."
        ),
        BackendStatus.ERROR: (
            f"キーリング {name} にアクセスできません（{detail}）。 / Cannot use the keyring "
            f"{name}: {detail}."
        ),
    }
    ok = status in (BackendStatus.OK, BackendStatus.TEST_ONLY)
    return BackendInfo(name, ok, messages[status], status)


# --- validation -------------------------------------------------------------------------------


def _field_user(channel_key: str, field_name: str) -> str:
    return f"channel:{channel_key}:{field_name}"


def _check_channel_key(channel_key: str) -> None:
    if not _CHANNEL_KEY.fullmatch(channel_key):
        raise ValueError(f"invalid channel key: {channel_key!r}")


def _check_field(name: str, value: str) -> None:
    if not _FIELD_NAME.fullmatch(name):
        raise ValueError(f"invalid credential field name: {name!r}")
    _check_value(name, value)


def _check_secret_name(name: str) -> None:
    if not _SECRET_NAME.fullmatch(name):
        raise ValueError(f"invalid secret name: {name!r}")


def _check_value(name: str, value: str) -> None:
    # Messages name the field, never the value.
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name}: the value must be a non-empty string")
    if len(value.encode("utf-16-le")) // 2 > MAX_VALUE_UTF16_UNITS:
        raise ValueError(
            f"{name}: 値が長すぎます（キーリングの上限 {MAX_VALUE_UTF16_UNITS} 文字）。 / "
            f"value too long for the keyring (max {MAX_VALUE_UTF16_UNITS} UTF-16 units)"
        )
