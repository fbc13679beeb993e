"""The append-only audit log. The caller computes hashes; the store keeps the chain unforked.

The chain's tip lives in the one-row ``audit_head`` table. Appending locks it first (SELECT ...
FOR UPDATE on PostgreSQL; on SQLite the write transaction's BEGIN IMMEDIATE already excludes
other writers), so two PCs appending at once take turns and each row links to its predecessor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kodaira_desktop.domain.records import AuditFields, AuditRecord, AuditRow
from kodaira_desktop.store import convert
from kodaira_desktop.store._base import StoreBase
from kodaira_desktop.store.errors import AuditChainError
from kodaira_desktop.store.tables import AuditHeadRow, AuditLogRow
from kodaira_desktop.store.types import require_aware

ComputeHash = Callable[[AuditRecord], str]


@dataclass(frozen=True)
class AuditAppend:
    """An audit row to append in the same transaction as the change it records."""

    fields: AuditFields
    compute_hash: ComputeHash


_HEAD_ID = 1
_READ_BATCH = 500


def append_audit(session: Session, fields: AuditFields, compute_hash: ComputeHash) -> AuditRow:
    """Append one row inside the caller's write transaction (so it commits with the change
    it records)."""
    head = session.get(AuditHeadRow, _HEAD_ID, with_for_update=True, populate_existing=True)
    if head is None:
        raise AuditChainError("the audit log has no head row; upgrade the database")
    record = AuditRecord(
        seq=head.last_seq + 1,
        at=require_aware(fields.at, "at"),
        actor=fields.actor,
        action=fields.action,
        target=fields.target,
        details=fields.details,
        prev_hash=head.last_hash,
    )
    digest = compute_hash(record)
    session.add(
        AuditLogRow(
            seq=record.seq,
            at=record.at,
            actor=record.actor,
            action=record.action,
            target=record.target,
            details=record.details,
            prev_hash=record.prev_hash,
            hash=digest,
        )
    )
    head.last_seq = record.seq
    head.last_hash = digest
    session.flush()
    return AuditRow(**vars(record), hash=digest)


class AuditStore(StoreBase):
    def append_audit(self, fields: AuditFields, compute_hash: ComputeHash) -> AuditRow:
        with self._db.write() as session:
            return append_audit(session, fields, compute_hash)

    def iter_audit(self, after_seq: int = 0) -> Iterator[AuditRow]:
        """All rows in seq order, read in batches (each batch its own short transaction)."""
        last = after_seq
        while True:
            query = (
                select(AuditLogRow)
                .where(AuditLogRow.seq > last)
                .order_by(AuditLogRow.seq)
                .limit(_READ_BATCH)
            )
            with self._db.read() as session:
                batch = [convert.audit_row(row) for row in session.scalars(query)]
            yield from batch
            if len(batch) < _READ_BATCH:
                return
            last = batch[-1].seq

    def audit_tip(self) -> tuple[int, str]:
        """(last seq, last hash) as recorded in the head: lets a verifier notice a log whose
        newest rows were deleted."""
        with self._db.read() as session:
            head = session.get(AuditHeadRow, _HEAD_ID)
            if head is None:
                raise AuditChainError("the audit log has no head row; upgrade the database")
            return head.last_seq, head.last_hash
