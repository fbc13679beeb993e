"""What the first screen shows, read from a SQLite file with the standard `sqlite3` module.

Start-up draws the current month before SQLAlchemy (~0.3 s to import with our tables) is
loaded: this reader opens the file read-only, checks the schema revision with the same query
and rule as `schema_version.check_schema`, and reads the acting user and one month's entries
with the same meaning as `Store.get_user_by_login` and `Store.entries_for_month` (tests compare
the two on the same database). Anything it cannot answer — not a SQLite file, a schema that is
not current, a locked or damaged file — is `FirstScreenUnavailableError`, and start-up takes the
SQLAlchemy path instead (PostgreSQL always does: its driver and SQLAlchemy come together).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, cast

from kodaira_desktop.domain.records import Entry, Role, User
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.store.schema_version import VERSION_QUERY, SchemaState, classify

#: The entry columns in `Entry`'s field order (the item's text follows them).
_ENTRY_COLUMNS = (
    "id, item_id, channel_key, text_override, title, scheduled_at, state, attempts,"
    " next_attempt_at, idempotency_key, resume_state, remote_id, remote_url, last_error,"
    " claimed_by, claimed_at, published_at, updated_at, version, request_started_at"
)
#: One month: the same indexed range and order as `entry_queries.ordered` by default.
MONTH_QUERY = (
    "SELECT "
    + ", ".join(f"e.{c.strip()}" for c in _ENTRY_COLUMNS.split(","))
    + ", i.text FROM entries AS e JOIN items AS i ON i.id = e.item_id"
    " WHERE e.scheduled_at >= ? AND e.scheduled_at < ? ORDER BY e.scheduled_at, e.id"
)
USER_QUERY = (
    "SELECT id, login, display_name, role, created_at, active, public_key,"
    " encrypted_private_key, kdf_params, endorsed_by, endorsement, failed_attempts,"
    " locked_until FROM users WHERE login = ?"
)
#: A file busy for longer than this is read through the Store instead (which waits longer).
BUSY_TIMEOUT_S = 1.0
USER_CHANNELS_QUERY = "SELECT channel_key FROM user_channels WHERE user_id = ?"


class FirstScreenUnavailableError(Exception):
    """This database cannot be read this way; open it through the Store."""


@dataclass(frozen=True)
class FirstScreen:
    user: User | None
    year: int
    month: int
    entries: list[Entry]


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (no options), else None."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            path = url[len(prefix) :]
            if path and path != ":memory:" and "?" not in path:
                return Path(path)
    return None


def read_first_screen(url: str, login: str, year: int, month: int, zone: tzinfo) -> FirstScreen:
    """The user ``login`` (None: no such user) and the month's entries."""
    with _current(url) as connection:
        user = user_by_login(connection, login)
        return FirstScreen(user, year, month, month_entries(connection, year, month, zone))


def read_month(url: str, year: int, month: int, zone: tzinfo) -> list[Entry]:
    """The month's entries (FirstScreenUnavailableError when this database cannot be read so)."""
    with _current(url) as connection:
        return month_entries(connection, year, month, zone)


@contextmanager
def _current(url: str) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the SQLite file of ``url`` whose schema is current, in one
    read transaction; FirstScreenUnavailableError otherwise."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        raise FirstScreenUnavailableError(url)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)) as connection:
            connection.execute("BEGIN")  # one snapshot for every query
            found = connection.execute(VERSION_QUERY).fetchone()
            if classify(found[0] if found else None).state is not SchemaState.CURRENT:
                raise FirstScreenUnavailableError("the schema is not current")
            yield connection
    except sqlite3.Error as error:  # no such table, locked, not a database …
        raise FirstScreenUnavailableError(str(error)) from error


def month_entries(
    connection: sqlite3.Connection, year: int, month: int, zone: tzinfo
) -> list[Entry]:
    """Entries scheduled in a calendar month of ``zone``, by time then id."""
    start = datetime(year, month, 1, tzinfo=zone)
    end = (start + timedelta(days=32)).replace(day=1)
    rows = connection.execute(MONTH_QUERY, (_stored(start), _stored(end)))
    return [_entry(row) for row in rows]


def user_by_login(connection: sqlite3.Connection, login: str) -> User | None:
    row = connection.execute(USER_QUERY, (login,)).fetchone()
    if row is None:
        return None
    channels = connection.execute(USER_CHANNELS_QUERY, (row[0],))
    return User(
        id=row[0],
        login=row[1],
        display_name=row[2],
        role=cast(Role, row[3]),
        created_at=cast(datetime, _instant(row[4])),
        active=bool(row[5]),
        channels=frozenset(key for (key,) in channels),
        public_key=row[6],
        encrypted_private_key=row[7],
        kdf_params=row[8],
        endorsed_by=row[9],
        endorsement=row[10],
        failed_attempts=row[11],
        locked_until=_instant(row[12]),
    )


def _stored(when: datetime) -> str:
    """An instant as SQLAlchemy stores it in SQLite (naive UTC, fixed width: ordered as text)."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(value: str | None) -> datetime | None:
    # Parsed with its offset: cheaper than parsing naive and replacing the zone.
    return None if value is None else datetime.fromisoformat(value + "+00:00")


_STATES = {state.value: state for state in EntryState}


def _entry(row: Any) -> Entry:
    """One row of MONTH_QUERY (its columns are in `Entry`'s field order, then the text)."""
    (
        id_, item_id, channel_key, text_override, title, scheduled_at, state, attempts,
        next_attempt_at, idempotency_key, resume_state, remote_id, remote_url, last_error,
        claimed_by, claimed_at, published_at, updated_at, version, request_started_at, text,
    ) = row  # fmt: skip
    instant = _instant
    return Entry(
        id_,
        item_id,
        channel_key,
        text,
        text_override,
        title,
        cast(datetime, instant(scheduled_at)),
        _STATES[state],
        attempts,
        instant(next_attempt_at),
        idempotency_key,
        resume_state,
        remote_id,
        remote_url,
        last_error,
        claimed_by,
        instant(claimed_at),
        instant(published_at),
        cast(datetime, instant(updated_at)),
        version,
        instant(request_started_at),
    )
