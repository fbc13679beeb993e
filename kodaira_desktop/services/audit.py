"""Writing and checking the hash-chained audit trail."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kodaira_desktop.domain.records import AuditFields, AuditRecord, AuditRow
from kodaira_desktop.security import audit_chain
from kodaira_desktop.security.canonical import canonical_json, to_json_value
from kodaira_desktop.services.context import AppContext

if TYPE_CHECKING:
    from kodaira_desktop.store.audit import AuditAppend


def _hash(record: AuditRecord) -> str:
    return audit_chain.compute_hash(
        record.prev_hash,
        record.seq,
        record.at,
        record.actor,
        record.action,
        record.target,
        json.loads(record.details),
    )


def pending(
    ctx: AppContext,
    action: str,
    target: str,
    details: Mapping[str, Any] | None = None,
    *,
    actor: str | None = None,
) -> AuditAppend:
    """An audit row for the store to append in the same transaction as the change it
    records (``store.transition(..., audit=pending(...))``)."""
    from kodaira_desktop.store.audit import AuditAppend

    clean = to_json_value(audit_chain.redact(dict(details or {})))
    fields = AuditFields(
        at=ctx.clock.now(),
        actor=actor or ctx.login,
        action=action,
        target=target,
        details=canonical_json(clean).decode("utf-8"),
    )
    return AuditAppend(fields, _hash)


def record(
    ctx: AppContext,
    action: str,
    target: str,
    details: Mapping[str, Any] | None = None,
    *,
    actor: str | None = None,
) -> AuditRow:
    """Append one action to the audit trail (its own transaction). Secrets in ``details`` are
    redacted first."""
    row = pending(ctx, action, target, details, actor=actor)
    return ctx.store.append_audit(row.fields, row.compute_hash)


def _as_chain_record(row: AuditRow) -> audit_chain.AuditRecord:
    return audit_chain.AuditRecord(
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.target,
        json.loads(row.details),
        row.prev_hash,
        row.hash,
    )


def verify(ctx: AppContext) -> audit_chain.ChainVerdict:
    rows = list(ctx.store.iter_audit())
    verdict = audit_chain.verify_chain(_as_chain_record(row) for row in rows)
    if not verdict.ok:
        return verdict
    tip_seq, tip_hash = ctx.store.audit_tip()
    last_seq, last_hash = (rows[-1].seq, rows[-1].hash) if rows else (0, audit_chain.GENESIS_HASH)
    if (tip_seq, tip_hash) != (last_seq, last_hash):
        return audit_chain.ChainVerdict(
            False,
            len(rows),
            last_seq + 1,
            f"監査ログの末尾が失われています（記録上の最終番号 {tip_seq}、残っている最終番号 "
            f"{last_seq}）。 / The newest audit rows were deleted.",
        )
    return verdict


def export_csv(rows: Iterable[AuditRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seq", "at", "actor", "action", "target", "details", "hash"])
    for row in rows:
        writer.writerow(
            [row.seq, row.at.isoformat(), row.actor, row.action, row.target, row.details, row.hash]
        )
    return out.getvalue()
