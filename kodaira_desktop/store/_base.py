"""What every part of the Store shares: the database and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CursorResult
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.sql.dml import UpdateBase

from kodaira_desktop.store.engine import Database
from kodaira_desktop.store.types import require_aware

if TYPE_CHECKING:  # the PostgreSQL dialect (with asyncio) costs ~0.1 s to import
    from sqlalchemy.dialects import postgresql, sqlite

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self._db = db
        self._clock = clock

    @property
    def database(self) -> Database:
        return self._db

    def _now(self) -> datetime:
        return require_aware(self._clock(), "clock()")


def dialect_insert(
    session: Session, model: type[DeclarativeBase]
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT supporting ON CONFLICT on both backends (same syntax on each)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(model)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(model)


def affected_rows(session: Session, statement: UpdateBase) -> int:
    """Run an UPDATE/DELETE and return how many rows it changed (the CAS outcome)."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return result.rowcount
