"""The root of trust: the first chief's public-key fingerprint, pinned outside the database.

The file lives in a machine-wide config directory (chosen by the caller; see
``TRUST_ROOT_FILE_ENV``) that ordinary users cannot write. Whoever can edit the shared database
still cannot make their own key trusted, because every chief key must chain back to this
fingerprint.

File format (TOML)::

    [trust_root]
    version = 1
    fingerprint = "SHA256:..."
    chief_login = "tanaka"
    written_at = "2025-11-25T02:30:00Z"
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kodaira_desktop.security.canonical import iso_utc

TRUST_ROOT_FILE_ENV = "KODAIRA_TRUST_ROOT_FILE"
_VERSION = 1
_FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")


class TrustRootError(Exception):
    """The trust-root file exists but cannot be used, or would be silently replaced."""


@dataclass(frozen=True)
class TrustRoot:
    fingerprint: str
    chief_login: str
    written_at: datetime | None = None


def read_trust_root(path: Path | str) -> TrustRoot | None:
    """The pinned root, or ``None`` when the file does not exist (not set up yet)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TrustRootError(f"信頼の起点ファイルを読めません / cannot read {path}: {exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _malformed(path, str(exc)) from None
    section = data.get("trust_root")
    if not isinstance(section, dict):
        raise _malformed(path, "missing [trust_root] table")
    if section.get("version") != _VERSION:
        raise _malformed(path, f"unsupported version {section.get('version')!r}")
    fingerprint = section.get("fingerprint")
    if not isinstance(fingerprint, str) or not _FINGERPRINT.fullmatch(fingerprint):
        raise _malformed(path, "fingerprint must look like 'SHA256:' + 43 base64 characters")
    chief_login = section.get("chief_login")
    if not isinstance(chief_login, str) or not chief_login.strip():
        raise _malformed(path, "chief_login must be a non-empty string")
    return TrustRoot(fingerprint, chief_login, _parse_time(path, section.get("written_at")))


def write_trust_root(
    path: Path | str,
    fingerprint: str,
    chief_login: str,
    *,
    replace: bool = False,
    now: datetime | None = None,
) -> TrustRoot:
    """Pin the root atomically (temp file + ``os.replace``).

    Rewriting the same fingerprint and login is a no-op success; pinning a *different* root
    over an existing one needs ``replace=True`` (a deliberate IT action, never a side effect).
    """
    path = Path(path)
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise ValueError(f"not a key fingerprint: {fingerprint!r}")
    if not chief_login.strip():
        raise ValueError("chief_login must not be empty")
    # With replace=True the old file is not even read: it may be the malformed one to fix.
    existing = None if replace else read_trust_root(path)
    if existing is not None:
        if (existing.fingerprint, existing.chief_login) == (fingerprint, chief_login):
            return existing
        raise TrustRootError(
            f"別の信頼の起点がすでに設定されています（{path}）。 / "
            f"A different trust root is already pinned in {path}; refusing to replace it."
        )
    root = TrustRoot(fingerprint, chief_login, now or datetime.now(UTC))
    _atomic_write(path, _render(root))
    return root


def _render(root: TrustRoot) -> str:
    # json.dumps gives a valid TOML basic string (same escapes), Japanese kept readable.
    def quote(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    written_at = iso_utc(root.written_at or datetime.now(UTC))
    return (
        "# Kodaira Desktop: root of trust for section chiefs' keys. Written at setup.\n"
        "# 小平市 投稿予約: 課長の鍵の信頼の起点。変更は情報システム担当のみ。\n"
        "[trust_root]\n"
        f"version = {_VERSION}\n"
        f"fingerprint = {quote(root.fingerprint)}\n"
        f"chief_login = {quote(root.chief_login)}\n"
        f"written_at = {quote(written_at)}\n"
    )


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)  # readable by every user of the machine
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _parse_time(path: Path, value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
    raise _malformed(path, "written_at must be an ISO 8601 time with a UTC offset")


def _malformed(path: Path, detail: str) -> TrustRootError:
    return TrustRootError(
        f"信頼の起点ファイルの形式が正しくありません（{path}）: {detail} / "
        f"Malformed trust-root file {path}: {detail}"
    )
