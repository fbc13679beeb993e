"""Creating and upgrading the schema with Alembic, programmatically (no alembic.ini).

SQLite files are copied aside with the sqlite3 backup API before any migration changes them.
Two PCs upgrading at once queue up: SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's advisory lock.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from kodaira_desktop.store.engine import Database
from kodaira_desktop.store.seed import seed_channels

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant identifying "schema migration in progress" among PostgreSQL advisory locks.
_PG_MIGRATION_LOCK = 0x4B4F4441


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(
    db: Database, backup_dir: Path | None, *, revision: str = "head"
) -> Path | None:
    """Bring the schema to ``revision`` and seed the channels; return the backup made, if any.

    Idempotent: at the target already, nothing is copied and nothing changes.
    """
    script = ScriptDirectory.from_config(alembic_config())
    target = script.get_current_head() if revision == "head" else revision
    backup: Path | None = None
    with db.engine.connect() as connection:
        connection.execution_options(kodaira_write=True)  # BEGIN IMMEDIATE on SQLite
        with connection.begin():
            if db.backend == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            current = MigrationContext.configure(connection).get_current_revision()
            if current != target:
                sqlite_path = db.sqlite_path
                if backup_dir is not None and sqlite_path is not None and _has_tables(connection):
                    backup = backup_sqlite(sqlite_path, backup_dir, current or "unversioned")
                command.upgrade(alembic_config(connection), revision)
            seed_channels(connection)
    return backup


def backup_sqlite(source: Path, backup_dir: Path, label: str) -> Path:
    """Copy a live SQLite database (WAL included) with the sqlite3 backup API."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    destination = backup_dir / f"{source.stem}-{stamp}-rev{label}{source.suffix or '.sqlite3'}"
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return destination


def _has_tables(connection: Connection) -> bool:
    count = connection.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'table'"))
    return bool(count.scalar_one())
