"""Chief key revocations and the signed posting policy. The store only keeps the rows: every
signature is checked by the services against the root pinned outside the database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from kodaira_desktop.domain.records import AuditFields
from kodaira_desktop.store._base import StoreBase
from kodaira_desktop.store.audit import ComputeHash, append_audit
from kodaira_desktop.store.errors import NotFoundError, VersionConflictError
from kodaira_desktop.store.tables import KeyRevocationRow, PolicyRow, UserRow
from kodaira_desktop.store.types import require_aware


@dataclass(frozen=True)
class RevocationRecord:
    login: str
    fingerprint: str
    keeps: tuple[str, ...]
    revoked_by: str
    revoked_at: datetime
    signature: bytes


@dataclass(frozen=True)
class PolicyRecord:
    version: int
    body: str
    set_by: str
    set_at: datetime
    signature: bytes


class TrustStore(StoreBase):
    def deactivate_with_revocation(
        self,
        login: str,
        revocation: RevocationRecord | None,
        audit: AuditFields,
        compute_hash: ComputeHash,
    ) -> None:
        """Deactivate ``login``, store its key's revocation (if any) and the audit record, in
        one transaction: all or nothing."""
        with self._db.write() as session:
            row = session.scalar(select(UserRow).where(UserRow.login == login).with_for_update())
            if row is None:
                raise NotFoundError(f"no user {login!r}")
            row.active = False
            if revocation is not None:
                session.add(
                    KeyRevocationRow(
                        login=revocation.login,
                        fingerprint=revocation.fingerprint,
                        keeps=json.dumps(list(revocation.keeps)),
                        revoked_by=revocation.revoked_by,
                        revoked_at=require_aware(revocation.revoked_at, "revoked_at"),
                        signature=revocation.signature,
                    )
                )
            append_audit(session, audit, compute_hash)

    def list_revocations(self) -> list[RevocationRecord]:
        with self._db.read() as session:
            rows = session.scalars(select(KeyRevocationRow).order_by(KeyRevocationRow.id)).all()
            return [_revocation(row) for row in rows]

    def add_policy(
        self, record: PolicyRecord, audit: AuditFields, compute_hash: ComputeHash
    ) -> None:
        """Store a new policy version with its audit record; a version already taken (another
        chief at the same moment) is a conflict."""
        with self._db.write() as session:
            latest = session.scalar(select(func.max(PolicyRow.version))) or 0
            if record.version != latest + 1:
                raise VersionConflictError(
                    f"policy version {record.version} is not next after {latest}"
                )
            session.add(
                PolicyRow(
                    version=record.version,
                    body=record.body,
                    set_by=record.set_by,
                    set_at=require_aware(record.set_at, "set_at"),
                    signature=record.signature,
                )
            )
            append_audit(session, audit, compute_hash)

    def latest_policy(self) -> PolicyRecord | None:
        with self._db.read() as session:
            row = session.scalar(select(PolicyRow).order_by(PolicyRow.version.desc()).limit(1))
            return _policy(row) if row else None

    def policy_versions(self) -> Sequence[int]:
        with self._db.read() as session:
            return list(session.scalars(select(PolicyRow.version).order_by(PolicyRow.version)))


def _revocation(row: KeyRevocationRow) -> RevocationRecord:
    try:
        keeps = json.loads(row.keeps)
    except ValueError:
        keeps = []
    clean = tuple(str(k) for k in keeps) if isinstance(keeps, list) else ()
    return RevocationRecord(
        row.login, row.fingerprint, clean, row.revoked_by, row.revoked_at, row.signature
    )


def _policy(row: PolicyRow) -> PolicyRecord:
    return PolicyRecord(row.version, row.body, row.set_by, row.set_at, row.signature)
