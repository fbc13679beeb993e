"""A hash-chained, append-only audit log, as pure functions over plain records.

Each record's hash covers its own fields and the previous record's hash, so altering,
deleting or reordering any row breaks the chain at that row. Details are redacted before
hashing, so a secret cannot enter the log even by mistake. (Cutting rows off the *end* leaves
a valid shorter chain; detecting that needs the head seq/hash kept somewhere else.)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kodaira_desktop.security.canonical import canonical_json, to_json_value

GENESIS_HASH = "0" * 64
FIRST_SEQ = 1
REDACTED = "***"
_PURPOSE = "kodaira-audit-v1"

# Key names that hold secrets. "key" alone is not here: "channel_key" is an ordinary name.
_SECRET_KEY_NAME = re.compile(
    r"token|secret|passw|passphrase|pwd|api_?key|private_?key|credential|authorization|cookie",
    re.IGNORECASE,
)
# Values that are secrets whatever their key is called.
_SECRET_VALUE = re.compile(r"^\s*(bearer|basic)\s+\S|-----BEGIN [A-Z ]*PRIVATE KEY", re.I)


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: datetime  # aware, UTC
    actor: str
    action: str
    target: str
    details: Mapping[str, Any] = field(hash=False)
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int  # records checked before the first break (all of them when ok)
    first_broken_seq: int | None
    message: str  # Japanese, then English


def redact(value: Any) -> Any:
    """``value`` with every secret-looking entry replaced by ``"***"`` (recursively)."""
    if isinstance(value, Mapping):
        return {
            str(key): REDACTED if _SECRET_KEY_NAME.search(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str) and _SECRET_VALUE.search(value):
        return REDACTED
    return value


def compute_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, Any],
) -> str:
    """SHA-256 hex of the canonical JSON of the record (details redacted first)."""
    body = {
        "purpose": _PURPOSE,
        "prev_hash": prev_hash,
        "seq": seq,
        "at": at,  # canonical_json refuses a naive datetime
        "actor": actor,
        "action": action,
        "target": target,
        "details": redact(details),
    }
    return hashlib.sha256(canonical_json(body)).hexdigest()


def next_record(
    previous: AuditRecord | None,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """The record to append after ``previous`` (``None`` for the first record).

    Its ``details`` are already redacted and reduced to plain JSON values, exactly what was
    hashed, so storing them as JSON and reading them back verifies.
    """
    seq = FIRST_SEQ if previous is None else previous.seq + 1
    prev_hash = GENESIS_HASH if previous is None else previous.hash
    clean_details: dict[str, Any] = to_json_value(redact(details or {}))
    digest = compute_hash(prev_hash, seq, at, actor, action, target, clean_details)
    return AuditRecord(seq, at, actor, action, target, clean_details, prev_hash, digest)


def verify_chain(records: Iterable[AuditRecord]) -> ChainVerdict:
    """Check records in the order given (the store should give them ordered by seq)."""
    rows = list(records)
    expected_prev = GENESIS_HASH
    for checked, record in enumerate(rows):
        expected_seq = FIRST_SEQ + checked
        problem = _link_problem(record, expected_seq, expected_prev, rows)
        if problem is not None:
            return ChainVerdict(False, checked, expected_seq, problem)
        expected_prev = record.hash
    message = f"監査ログは改ざんされていません（{len(rows)} 件）。 / Audit chain intact."
    return ChainVerdict(True, len(rows), None, message)


def _link_problem(
    record: AuditRecord, expected_seq: int, expected_prev: str, rows: list[AuditRecord]
) -> str | None:
    if record.seq != expected_seq:
        if any(row.seq == expected_seq for row in rows):
            return (
                f"seq {expected_seq} の位置に seq {record.seq} があります（順序の入れ替え）。"
                f" / Reordered: found seq {record.seq} where seq {expected_seq} belongs."
            )
        return (
            f"seq {expected_seq} の記録が欠落しています（削除）。"
            f" / Missing record: seq {expected_seq} was deleted."
        )
    if record.prev_hash != expected_prev:
        return (
            f"seq {expected_seq} の前の記録へのつながりが壊れています。"
            f" / Broken link: seq {expected_seq} does not follow the previous record."
        )
    recomputed = compute_hash(
        record.prev_hash,
        record.seq,
        record.at,
        record.actor,
        record.action,
        record.target,
        record.details,
    )
    if recomputed != record.hash:
        return (
            f"seq {expected_seq} の内容が改ざんされています。"
            f" / Altered record: seq {expected_seq} does not match its hash."
        )
    return None
