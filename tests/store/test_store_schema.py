"""Creating, upgrading and seeding the schema; backups; the migration path with data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from kodaira_desktop.store.engine import open_database
from kodaira_desktop.store.migrate import current_revision, head_revision, upgrade_database
from kodaira_desktop.store.repository import Store
from kodaira_desktop.store.seed import SEED_CHANNELS
from kodaira_desktop.store.tables import Base

FIRST_REVISION = "0001"


def test_create_upgrade_and_seed_are_idempotent(database_url: str, tmp_path: Path) -> None:
    db = open_database(database_url)
    try:
        upgrade_database(db, tmp_path / "backups")
        upgrade_database(db, tmp_path / "backups")
        assert current_revision(db) == head_revision()
        store = Store(db)
        channels = {channel.key: channel for channel in store.list_channels()}
        assert set(channels) == {"x-city", "x-mayor", "line", "facebook", "youtube"}
        assert channels["x-mayor"].display_name == "小平市市長室公式"
        assert channels["line"].handle == "@kodairacity"
        assert channels["youtube"].handle == "UCp9YZtjCNcGOq3fQlln31Xg"
        assert {c.platform for c in channels.values()} == {"x", "line", "facebook", "youtube"}
        assert not any(channel.suspended for channel in channels.values())
        # An at-head database is neither copied nor changed.
        assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())
    finally:
        db.dispose()


def test_seeding_never_overwrites_edits(database_url: str, tmp_path: Path) -> None:
    db = open_database(database_url)
    try:
        upgrade_database(db, None)
        with db.write() as session:
            session.execute(
                text("UPDATE channels SET handle = '@kodaira_koho' WHERE key = 'x-city'")
            )
            session.execute(text("DELETE FROM channels WHERE key = 'x-mayor'"))
        upgrade_database(db, None)
        channels = {channel.key: channel for channel in Store(db).list_channels()}
        assert channels["x-city"].handle == "@kodaira_koho"
        assert "x-mayor" in channels  # restored
    finally:
        db.dispose()


def test_tables_module_matches_the_migrations(database_url: str) -> None:
    db = open_database(database_url)
    try:
        upgrade_database(db, None)
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("entries")}
        assert {"ix_entries_state_scheduled_at", "ix_entries_state_next_attempt_at"} <= indexes
    finally:
        db.dispose()


def test_database_at_first_revision_with_data_upgrades_intact(
    database_url: str, tmp_path: Path
) -> None:
    db = open_database(database_url)
    try:
        upgrade_database(db, None, revision=FIRST_REVISION)
        assert current_revision(db) == FIRST_REVISION
        assert "heartbeats" not in inspect(db.engine).get_table_names()
        with db.write() as session:
            for statement in _FIRST_REVISION_DATA:
                session.execute(text(statement))

        upgrade_database(db, tmp_path / "backups")

        assert current_revision(db) == head_revision()
        store = Store(db)
        item = store.get_item(1)
        assert item is not None
        assert item.text == "市報こだいら 12月1日号を発行しました"
        assert [(e.channel_key, e.state, e.version) for e in item.entries] == [
            ("x-city", "scheduled", 3),
            ("line", "published", 5),
        ]
        assert item.entries[0].scheduled_at.isoformat() == "2025-12-01T00:30:00+00:00"
        assert item.entries[1].remote_id == "line-123"
        user = store.get_user_by_login("suzuki")
        assert user is not None
        assert user.channels == frozenset({"line"})
        rows = list(store.iter_audit())
        assert [row.seq for row in rows] == [1, 2]
        # The new audit head continues the chain where the old log stopped.
        assert store.audit_tip() == (2, "hash-2")
        assert store.list_heartbeats() == []
    finally:
        db.dispose()


def test_sqlite_is_backed_up_before_a_migration(tmp_path: Path) -> None:
    path = tmp_path / "queue.sqlite3"
    db = open_database(f"sqlite:///{path}")
    backups = tmp_path / "backups"
    try:
        assert upgrade_database(db, backups, revision=FIRST_REVISION) is None  # empty: no copy
        with db.write() as session:
            session.execute(text(_FIRST_REVISION_DATA[0]))
        backup = upgrade_database(db, backups)
        assert backup is not None
        assert backup.parent == backups
        assert "rev0001" in backup.name
        copy = sqlite3.connect(backup)
        try:
            version = copy.execute("SELECT version_num FROM alembic_version").fetchone()
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
            items = copy.execute("SELECT count(*) FROM items").fetchone()
        finally:
            copy.close()
        assert version == (FIRST_REVISION,)  # taken before the upgrade
        assert "heartbeats" not in tables
        assert items == (1,)
        assert upgrade_database(db, backups) is None  # already at head: no copy
        assert list(backups.iterdir()) == [backup]
    finally:
        db.dispose()


def test_sqlite_connection_settings(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'sub' / 'queue.sqlite3'}")
    try:
        with db.read() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    finally:
        db.dispose()


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        open_database("mysql://localhost/queue")


_FIRST_REVISION_DATA = (
    "INSERT INTO items (id, text, category, author, created_at, updated_at, version) VALUES "
    "(1, '市報こだいら 12月1日号を発行しました', 'koho', 'suzuki', "
    "'2025-11-20 01:00:00.000000+00:00', '2025-11-20 01:00:00.000000+00:00', 2)",
    "INSERT INTO entries (id, item_id, channel_key, scheduled_at, state, attempts, "
    "idempotency_key, updated_at, version) VALUES "
    "(1, 1, 'x-city', '2025-12-01 00:30:00.000000+00:00', 'scheduled', 0, "
    "'11111111-1111-4111-8111-111111111111', '2025-11-20 01:00:00.000000+00:00', 3)",
    "INSERT INTO entries (id, item_id, channel_key, scheduled_at, state, attempts, "
    "idempotency_key, remote_id, updated_at, version) VALUES "
    "(2, 1, 'line', '2025-12-01 00:30:00.000000+00:00', 'published', 1, "
    "'22222222-2222-4222-8222-222222222222', 'line-123', '2025-12-01 00:30:05.000000+00:00', 5)",
    "INSERT INTO users (id, login, display_name, role, created_at) VALUES "
    "(1, 'suzuki', '鈴木', 'staff', '2025-11-01 00:00:00.000000+00:00')",
    "INSERT INTO user_channels (user_id, channel_key) VALUES (1, 'line')",
    "INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash) VALUES "
    "(1, '2025-11-20 01:00:00.000000+00:00', 'suzuki', 'item.create', 'item:1', '{}', '0000', "
    "'hash-1'), "
    "(2, '2025-12-01 00:30:05.000000+00:00', 'dispatcher', 'entry.published', 'entry:2', "
    "'{}', 'hash-1', 'hash-2')",
)


def test_seed_list_matches_contract() -> None:
    assert [key for key, *_ in SEED_CHANNELS] == [
        "x-city",
        "x-mayor",
        "line",
        "facebook",
        "youtube",
    ]
