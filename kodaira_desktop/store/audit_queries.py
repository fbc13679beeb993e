"""Reading the audit trail for the audit view: filtered, counted and paged by the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from kodaira_desktop.domain.entry_query import AuditWhere
from kodaira_desktop.domain.records import AuditRow
from kodaira_desktop.store.engine import Database
from kodaira_desktop.store.tables import AuditLogRow
from kodaira_desktop.store.types import require_aware


def _filtered(query: Select[Any], where: AuditWhere) -> Select[Any]:
    if where.action_prefix is not None:
        query = query.where(AuditLogRow.action.startswith(where.action_prefix, autoescape=True))
    if where.actor is not None:
        query = query.where(AuditLogRow.actor == where.actor)
    if where.start is not None:
        query = query.where(AuditLogRow.at >= require_aware(where.start, "start"))
    if where.end is not None:
        query = query.where(AuditLogRow.at < require_aware(where.end, "end"))
    return query


def audit_page(
    db: Database, where: AuditWhere, offset: int = 0, limit: int | None = None
) -> list[AuditRow]:
    """Matching rows, oldest first (by seq)."""
    columns = AuditLogRow.__table__.columns
    query = _filtered(select(*columns), where).order_by(AuditLogRow.seq)
    with db.read() as session:
        rows = session.execute(query.offset(offset).limit(limit)).all()
    return [
        AuditRow(
            seq=row.seq,
            at=row.at,
            actor=row.actor,
            action=row.action,
            target=row.target,
            details=row.details,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
        for row in rows
    ]


def audit_count(db: Database, where: AuditWhere) -> int:
    with db.read() as session:
        return session.scalar(_filtered(select(func.count()).select_from(AuditLogRow), where)) or 0
