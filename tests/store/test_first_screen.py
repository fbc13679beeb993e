"""The first screen's sqlite3 reader gives what the Store gives, on the same database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import first_screen as service
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.store.engine import Database
from kodaira_desktop.store.first_screen import (
    FirstScreenUnavailableError,
    read_first_screen,
    read_month,
    sqlite_file,
)
from kodaira_desktop.store.repository import Store
from tests.store.conftest import FakeClock

TOKYO = ZoneInfo("Asia/Tokyo")


def fill(store: Store, clock: FakeClock) -> None:
    """Entries around the edges of November 2025 in Tokyo, in many states and shapes."""
    store.add_user("suzuki", "鈴木 花子", "staff", channels=["x-city", "line"])
    store.add_user("tanaka", "田中 一郎", "chief")
    store.set_chief_key(
        "tanaka",
        public_key=b"\x01" * 32,
        encrypted_private_key=b"\x02" * 64,
        kdf_params='{"n": 32768}',
        endorsed_by="root",
        endorsement=b"\x03" * 64,
    )
    store.add_user("sato", "佐藤", "staff")
    store.set_active("sato", False)
    edges = [
        datetime(2025, 10, 31, 14, 59, 59, 999999, tzinfo=UTC),  # Oct 31 23:59 in Tokyo
        datetime(2025, 10, 31, 15, 0, tzinfo=UTC),  # Nov 1 00:00 in Tokyo: in November
        datetime(2025, 11, 15, 1, 30, 0, 123456, tzinfo=UTC),
        datetime(2025, 11, 15, 1, 30, 0, 123456, tzinfo=UTC),  # same instant: by id
        datetime(2025, 11, 30, 14, 59, 59, tzinfo=UTC),  # Nov 30 23:59:59 in Tokyo
        datetime(2025, 11, 30, 15, 0, tzinfo=UTC),  # Dec 1 00:00 in Tokyo: not November
    ]
    for n, when in enumerate(edges):
        store.create_item_with_entries(
            text=f"お知らせ {n}\n二行目",
            category="お知らせ" if n % 2 else None,
            author="suzuki",
            channels=["x-city", "line", "youtube"][: 1 + n % 3],
            scheduled_at=when,
            overrides={"x-city": "Xだけの本文"} if n == 2 else None,
            titles={"youtube": "動画"} if n % 3 == 2 else None,
        )
    november = store.entries_for_month(2025, 11, TOKYO)
    first = november[0]
    assert store.transition(
        first.id,
        EntryState.SCHEDULED,
        first.version,
        EntryState.SENDING,
        claimed_by="pc:1:t",
        claimed_at=clock.now,
    )
    assert store.mark_request_started(first.id, first.version + 1, clock.now)
    second = november[1]
    assert store.transition(
        second.id,
        EntryState.SCHEDULED,
        second.version,
        EntryState.CANCELLED,
        last_error="取り消し",
    )


def test_the_reader_equals_the_store(store: Store, db: Database, clock: FakeClock) -> None:
    """On SQLite the reader itself; on PostgreSQL the service falls back to the Store."""
    fill(store, clock)
    url = db.engine.url.render_as_string(hide_password=False)
    for year, month in ((2025, 10), (2025, 11), (2025, 12), (2026, 1)):
        expected = store.entries_for_month(year, month, TOKYO)
        if db.backend == "sqlite":
            assert read_month(url, year, month, TOKYO) == expected
        else:
            with pytest.raises(FirstScreenUnavailableError):
                read_month(url, year, month, TOKYO)
    assert len(store.entries_for_month(2025, 11, TOKYO)) == 8
    if db.backend != "sqlite":
        return
    for login in ("suzuki", "tanaka", "sato", "nobody"):
        found = read_first_screen(url, login, 2025, 11, TOKYO)
        assert found.user == store.get_user_by_login(login)
        assert found.entries == store.entries_for_month(2025, 11, TOKYO)


def test_the_service_reads_the_same_either_way(
    database_url: str, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    fill(store, clock)
    for login, expected_user in (("suzuki", "suzuki"), ("sato", None), ("nobody", None)):
        ctx = AppContext.create(database=database_url, login=login)
        try:
            view = service.read(ctx, 2025, 11)
            assert view.through_store is not database_url.startswith("sqlite")
            assert (view.user.login if view.user else None) == expected_user
            assert view.entries == ctx.store.entries_for_month(2025, 11, ctx.policy.zone)
            assert view.user == (ctx.store.get_user_by_login(login) if expected_user else None)
            assert service.month_entries(ctx, 2025, 12) == ctx.store.entries_for_month(
                2025, 12, ctx.policy.zone
            )
        finally:
            ctx.close()


def test_a_schema_that_is_not_current_is_left_to_the_store(tmp_path: Path) -> None:
    import sqlite3

    from kodaira_desktop.store.engine import open_database
    from kodaira_desktop.store.migrate import upgrade_database

    path = tmp_path / "q.sqlite3"
    url = f"sqlite:///{path}"
    with pytest.raises(FirstScreenUnavailableError):  # no file yet
        read_month(url, 2025, 11, TOKYO)
    path.write_bytes(b"")
    with pytest.raises(FirstScreenUnavailableError):  # no tables
        read_month(url, 2025, 11, TOKYO)
    path.unlink()
    database = open_database(url)
    upgrade_database(database, None)
    database.dispose()
    assert read_month(url, 2025, 11, TOKYO) == []
    for revision in ("0002", "9999"):  # behind: upgraded by the store; newer: refused by it
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        with pytest.raises(FirstScreenUnavailableError):
            read_month(url, 2025, 11, TOKYO)


def test_only_plain_sqlite_file_urls_are_read_this_way(tmp_path: Path) -> None:
    assert sqlite_file(f"sqlite:///{tmp_path}/a.db") == tmp_path / "a.db"
    assert sqlite_file("sqlite+pysqlite:///relative.db") == Path("relative.db")
    for url in (
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///a.db?mode=ro",
        "postgresql+psycopg://u@h/db",
    ):
        assert sqlite_file(url) is None


def test_the_month_bounds_follow_the_zone(store: Store, db: Database, clock: FakeClock) -> None:
    if db.backend != "sqlite":
        pytest.skip("the sqlite3 reader reads SQLite files only")
    fill(store, clock)
    url = db.engine.url.render_as_string(hide_password=False)
    utc_month = read_month(url, 2025, 11, UTC)
    assert utc_month == store.entries_for_month(2025, 11, UTC)
    assert {e.scheduled_at for e in utc_month} != {
        e.scheduled_at for e in read_month(url, 2025, 11, TOKYO)
    }
    assert all(
        datetime(2025, 11, 1, tzinfo=UTC) <= e.scheduled_at < datetime(2025, 12, 1, tzinfo=UTC)
        for e in utc_month
    )
    assert timedelta(0) == utc_month[0].scheduled_at.utcoffset()
