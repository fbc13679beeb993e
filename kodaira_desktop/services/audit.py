"""Writing and checking the hash-chained audit trail."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kodaira_desktop.domain.records import AuditFields, AuditRecord, AuditRow
from kodaira_desktop.security import audit_anchor, audit_chain
from kodaira_desktop.security.canonical import canonical_json, to_json_value
from kodaira_desktop.services.context import AppContext

log = logging.getLogger(__name__)

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


def fields(
    ctx: AppContext,
    action: str,
    target: str,
    details: Mapping[str, Any] | None = None,
    *,
    actor: str | None = None,
) -> AuditFields:
    """The audit row for an action, for stores that append it in the action's own transaction
    (then call :func:`anchor`). Secrets in ``details`` are redacted first."""
    clean = to_json_value(audit_chain.redact(dict(details or {})))
    return AuditFields(
        at=ctx.clock.now(),
        actor=actor or ctx.login,
        action=action,
        target=target,
        details=canonical_json(clean).decode("utf-8"),
    )


#: The hash function the store calls when it appends a row.
chain_hash = _hash


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

    return AuditAppend(fields(ctx, action, target, details, actor=actor), _hash)


def record(
    ctx: AppContext,
    action: str,
    target: str,
    details: Mapping[str, Any] | None = None,
    *,
    actor: str | None = None,
) -> AuditRow:
    """Append one action to the audit trail (its own transaction) and anchor the new head."""
    row = ctx.store.append_audit(fields(ctx, action, target, details, actor=actor), _hash)
    anchor(ctx, row.seq, row.hash)
    return row


def anchor(ctx: AppContext, seq: int | None = None, digest: str | None = None) -> None:
    """Remember, outside the database, the newest head this PC has seen (the tip when no row
    is given). The anchor moves forward only along the chain it already anchored: if the rows
    after it no longer link back to it (the chain was rewritten or cut), it stays where it is
    for ``audit verify`` to report. A failure to write it never undoes the action; it is
    logged."""
    try:
        if seq is None or digest is None:
            seq, digest = ctx.store.audit_tip()
        folder = ctx.paths.config_dir
        seen = audit_anchor.read_anchor(folder, ctx.database_url)
        if seq <= seen.audit_seq:
            return
        if seen.audit_hash is not None and not _continues(ctx, seen, seq):
            log.warning("the audit chain no longer continues from seq %s", seen.audit_seq)
            return
        audit_anchor.advance(folder, ctx.database_url, audit_seq=seq, audit_hash=digest)
    except OSError:
        log.warning("could not write the audit anchor in %s", ctx.paths.config_dir, exc_info=True)


def _continues(ctx: AppContext, seen: audit_anchor.Anchor, up_to: int) -> bool:
    """Do the rows after the anchored one link back to it, up to seq ``up_to``?"""
    previous = seen.audit_hash
    for row in ctx.store.iter_audit(after_seq=seen.audit_seq):
        if row.prev_hash != previous:
            return False
        previous = row.hash
        if row.seq >= up_to:
            return True
    return False


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
    """The chain checked against itself, against the head row, and against the head this PC
    anchored outside the database (a consistent rewrite or a truncation shows there)."""
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
    problem = _anchor_problem(ctx, rows)
    if problem is not None:
        return problem
    anchor(ctx, last_seq, last_hash)
    return verdict


def _anchor_problem(ctx: AppContext, rows: list[AuditRow]) -> audit_chain.ChainVerdict | None:
    seen = audit_anchor.read_anchor(ctx.paths.config_dir, ctx.database_url)
    if seen.audit_seq == 0 or seen.audit_hash is None:
        return None
    where = ctx.paths.config_dir / audit_anchor.ANCHOR_FILE
    if len(rows) < seen.audit_seq:
        return audit_chain.ChainVerdict(
            False,
            len(rows),
            len(rows) + 1,
            f"監査ログが、この PC が確認済みの seq {seen.audit_seq} より短くなっています"
            "（切り詰め）。"
            f" / Truncated: this PC anchored seq {seen.audit_seq} ({where}), "
            f"but the chain ends at seq {len(rows)}.",
        )
    row = rows[seen.audit_seq - 1]
    if row.hash != seen.audit_hash:
        return audit_chain.ChainVerdict(
            False,
            seen.audit_seq - 1,
            seen.audit_seq,
            f"監査ログが書き換えられています：seq {seen.audit_seq} がこの PC の記録と一致しません。"
            f" / Rewritten: seq {seen.audit_seq} differs from the head this PC anchored "
            f"({where}); the chain was recomputed after the fact.",
        )
    return None


def verify_approvals(ctx: AppContext) -> tuple[list[int], list[int]]:
    """Item ids of approvals whose signature verifies with the approving chief's key as it
    chained to the root (revocations ignored: what a chief signed before leaving stays
    verifiable) and that the audit chain records; and of those that do not."""
    from kodaira_desktop.security.chief_keys import verify_signature
    from kodaira_desktop.services import approvals, chiefs

    chained = chiefs.standing(ctx).chained
    recorded = {
        (row.target, row.actor)
        for row in ctx.store.iter_audit()
        if row.action == "override.approved"
    }
    verified: list[int] = []
    unverified: list[int] = []
    for request in ctx.store.list_overrides(status="approved"):
        item = ctx.store.get_item(request.item_id)
        key = chained.get(request.decided_by or "")
        ok = (
            item is not None
            and key is not None
            and request.signature is not None
            and request.decided_at is not None
            and (f"item:{request.item_id}", request.decided_by) in recorded
            and verify_signature(
                key,
                approvals.signed_payload(
                    item, request, request.decided_by or "", request.decided_at
                ),
                request.signature,
            )
        )
        (verified if ok else unverified).append(request.item_id)
    return verified, unverified


def export_csv(rows: Iterable[AuditRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seq", "at", "actor", "action", "target", "details", "hash"])
    for row in rows:
        writer.writerow(
            [row.seq, row.at.isoformat(), row.actor, row.action, row.target, row.details, row.hash]
        )
    return out.getvalue()
