"""What this PC last saw of a shared database, kept outside it: the audit chain's head and the
newest signed policy version.

Anyone who can write the database can recompute every audit hash and the head row, so a chain
checked only against itself proves nothing against them. Each PC therefore remembers the head
it last saw (seq and hash) in its own config folder; ``audit verify`` then detects a rewrite
(the row at the anchored seq has another hash) and a truncation (the chain ends before the
anchored seq). The same file keeps the highest policy version this PC accepted, so an older
signed policy cannot be brought back by deleting the newer rows.

File format (JSON), one entry per database (the URL with any password removed)::

    {"version": 1, "databases": {"sqlite:///...": {"audit_seq": 12, "audit_hash": "…",
                                                    "policy_version": 3}}}
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ANCHOR_FILE = "anchors.json"
_FORMAT = 1


@dataclass(frozen=True)
class Anchor:
    audit_seq: int = 0
    audit_hash: str | None = None
    policy_version: int = 0


def database_key(url: str) -> str:
    """The URL without a password (the anchor file is not a place for secrets)."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: keep it as given minus anything before '@'
        return url.split("@", 1)[-1]


def read_anchor(folder: Path, url: str) -> Anchor:
    entry = _load(folder / ANCHOR_FILE).get(database_key(url), {})
    if not isinstance(entry, dict):
        return Anchor()
    seq, digest, version = (
        entry.get("audit_seq"),
        entry.get("audit_hash"),
        entry.get("policy_version"),
    )
    return Anchor(
        seq if isinstance(seq, int) and seq >= 0 else 0,
        digest if isinstance(digest, str) else None,
        version if isinstance(version, int) and version >= 0 else 0,
    )


def advance(
    folder: Path,
    url: str,
    *,
    audit_seq: int | None = None,
    audit_hash: str | None = None,
    policy_version: int | None = None,
) -> Anchor:
    """Move the anchor forward (never back) and write it atomically. Returns the new anchor."""
    if audit_seq is not None and audit_seq < read_anchor(folder, url).audit_seq:
        audit_seq = audit_hash = None
    path = folder / ANCHOR_FILE
    databases = _load(path)
    key = database_key(url)
    current = read_anchor(folder, url)
    seq, digest = current.audit_seq, current.audit_hash
    if audit_seq is not None and audit_hash is not None and audit_seq >= seq:
        seq, digest = audit_seq, audit_hash
    version = max(current.policy_version, policy_version or 0)
    updated = Anchor(seq, digest, version)
    if updated == current and key in databases:
        return current
    entry = databases.get(key)
    entry = dict(entry) if isinstance(entry, dict) else {}
    entry.update(audit_seq=seq, audit_hash=digest, policy_version=version)
    databases[key] = entry
    _write(path, {"version": _FORMAT, "databases": databases})
    return updated


def read_revocations(folder: Path, url: str) -> list[dict[str, Any]]:
    """The chief-key revocations this PC has seen verified (to be verified again on use)."""
    entry = _load(folder / ANCHOR_FILE).get(database_key(url), {})
    found = entry.get("revocations") if isinstance(entry, dict) else None
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def remember_revocations(folder: Path, url: str, revocations: list[dict[str, Any]]) -> None:
    """Add revocations to those this PC keeps, so deleting their rows from the database does
    not give the keys back their standing here."""
    path = folder / ANCHOR_FILE
    databases = _load(path)
    key = database_key(url)
    entry = databases.get(key)
    entry = dict(entry) if isinstance(entry, dict) else {}
    known = [r for r in entry.get("revocations", []) if isinstance(r, dict)]
    added = [r for r in revocations if r not in known]
    if not added:
        return
    entry["revocations"] = known + added
    databases[key] = entry
    _write(path, {"version": _FORMAT, "databases": databases})


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}
    databases = data.get("databases") if isinstance(data, dict) else None
    return dict(databases) if isinstance(databases, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
