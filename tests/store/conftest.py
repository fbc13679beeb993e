"""Storage fixtures: a migrated database on each backend, a Store over it, a settable clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kodaira_desktop.store.engine import Database, open_database
from kodaira_desktop.store.migrate import upgrade_database
from kodaira_desktop.store.repository import Store

START = datetime(2025, 11, 25, 1, 0, tzinfo=UTC)  # Tuesday 10:00 in Tokyo


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Iterator[Database]:
    database = open_database(database_url)
    upgrade_database(database, tmp_path / "backups")
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def store(db: Database, clock: FakeClock) -> Store:
    return Store(db, clock=clock)


#: Figures the race tests report, printed at the end of the run.
RACE_FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RACE_FIGURES:
        terminalreporter.section("store race figures")
        for line in RACE_FIGURES:
            terminalreporter.write_line(line)
