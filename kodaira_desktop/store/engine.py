"""Opening the shared queue database: SQLite on one PC or a share, PostgreSQL for an office.

Write transactions on SQLite start with ``BEGIN IMMEDIATE`` so that two processes wanting to
write queue up behind the busy timeout instead of one failing with "database is locked" when
it tries to upgrade a read lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

PasswordProvider = Callable[[], str | None]

SQLITE_BUSY_TIMEOUT_S = 10.0
_WRITE_OPTION = "kodaira_write"


@dataclass(frozen=True)
class Database:
    engine: Engine
    #: Sessions whose transactions only read.
    reader: sessionmaker[Session]
    #: Sessions whose transactions write (``BEGIN IMMEDIATE`` on SQLite).
    writer: sessionmaker[Session]
    #: SQLite: this process's writers take turns here rather than in SQLite's busy handler,
    #: which sleeps in growing steps (up to 100 ms) while another thread holds the lock.
    write_lock: AbstractContextManager[object] = field(default_factory=nullcontext)

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @property
    def sqlite_path(self) -> Path | None:
        """The database file, for SQLite files; None otherwise."""
        if self.backend != "sqlite" or self.url.database in (None, "", ":memory:"):
            return None
        return Path(str(self.url.database))

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.reader() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any exception."""
        with self.write_lock, self.writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, password_provider: PasswordProvider | None = None) -> Database:
    """Open (not create or migrate) the database at a SQLAlchemy URL.

    ``password_provider`` is asked for the password when a PostgreSQL URL carries none, each
    time a new connection is made (the lead's wiring reads the OS keyring; never a file).
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = _sqlite_engine(parsed)
    elif backend == "postgresql":
        engine = _postgres_engine(parsed, password_provider)
    else:
        raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql+psycopg")
    reader = sessionmaker(engine, expire_on_commit=False)
    writer = sessionmaker(engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False)
    lock: AbstractContextManager[object] = (
        threading.RLock() if backend == "sqlite" else nullcontext()
    )
    return Database(engine=engine, reader=reader, writer=writer, write_lock=lock)


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; "begin" below issues BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def _postgres_engine(url: URL, password_provider: PasswordProvider | None) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url, pool_pre_ping=True)
    if password_provider is not None and not url.password:
        provider = password_provider

        @event.listens_for(engine, "do_connect")
        def _password(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
            if not cparams.get("password"):
                password = provider()
                if password:
                    cparams["password"] = password

    return engine
