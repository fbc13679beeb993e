"""Every table of the database as plain rows, and back: the SQL half of `db export` and
`db import` (services/archive.py writes and reads the archive file).

Generic over ``tables.Base.metadata``: a table added later is carried without change here.
Values are JSON-ready: datetimes as ISO 8601 UTC, binary as base64.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Final

from sqlalchemy import LargeBinary, Table, delete, func, insert, select, text
from sqlalchemy.engine import Connection

from kodaira_desktop.store.engine import Database
from kodaira_desktop.store.tables import Base
from kodaira_desktop.store.types import UTCDateTime

#: Rows about running processes on particular PCs: not carried to another database.
NOT_CARRIED: Final = frozenset({"heartbeats"})
#: Tables a freshly created (upgraded, not yet initialised) database already fills.
SEEDED: Final = frozenset({"channels", "audit_head"})
_BATCH = 500


def carried_tables() -> list[Table]:
    """Tables in dependency order (a row's parents before it)."""
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_CARRIED]


def encode(table: Table, row: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in table.columns:
        value = row[column.name]
        if value is None:
            out[column.name] = None
        elif isinstance(value, datetime):
            out[column.name] = value.isoformat()
        elif isinstance(value, bytes | bytearray | memoryview):
            out[column.name] = base64.b64encode(bytes(value)).decode("ascii")
        else:
            out[column.name] = value
    return out


def decode(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """A row read from an archive, typed for ``table``; unknown columns are refused."""
    names = {c.name for c in table.columns}
    if unknown := set(row) - names:
        raise ValueError(f"table {table.name} has no column {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is not None and isinstance(column.type, UTCDateTime):
            if not isinstance(value, str):
                raise ValueError(f"{table.name}.{column.name}: not a date and time")
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, LargeBinary):
            if not isinstance(value, str):
                raise ValueError(f"{table.name}.{column.name}: not base64 text")
            value = base64.b64decode(value, validate=True)
        out[column.name] = value
    return out


def dump_tables(db: Database) -> Iterator[tuple[Table, Iterator[dict[str, Any]]]]:
    """Each carried table with its rows, all read in one snapshot (a consistent copy while
    other PCs keep working)."""
    with _snapshot(db) as connection:
        for table in carried_tables():
            yield table, _rows(connection, table)


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=_BATCH).execute(select(table).order_by(*order))
    for row in result.mappings():
        yield encode(table, row)


@contextmanager
def _snapshot(db: Database) -> Iterator[Connection]:
    with db.engine.connect() as connection:
        if db.backend == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin() as transaction:
            yield connection
            transaction.rollback()


def non_empty_tables(db: Database) -> list[str]:
    """Tables holding data of their own (anything beyond what a new database is seeded with)."""
    found = []
    with db.engine.connect() as connection:
        for table in carried_tables():
            if table.name in SEEDED:
                continue
            count = connection.scalar(select(func.count()).select_from(table))
            if count:
                found.append(table.name)
    return found


def load_tables(db: Database, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, int]:
    """Replace the seeded rows and insert every row, in ONE transaction: a failure leaves the
    database as it was. ``rows`` maps table names to decoded rows."""
    tables = {t.name: t for t in carried_tables()}
    if unknown := set(rows) - set(tables):
        raise ValueError(f"this version has no table {', '.join(sorted(unknown))}")
    counts: dict[str, int] = {}
    with db.write() as session:
        connection = session.connection()
        for name in reversed(list(tables)):
            if name in SEEDED or name in NOT_CARRIED:
                connection.execute(delete(tables[name]))
        for name, table in tables.items():
            batch = list(rows.get(name, ()))
            for start in range(0, len(batch), _BATCH):
                connection.execute(insert(table), list(batch[start : start + _BATCH]))
            counts[name] = len(batch)
        if db.backend == "postgresql":
            _reset_sequences(connection, tables.values())
    return counts


def _reset_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """New rows after an import continue after the imported ids."""
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
            )
        )
