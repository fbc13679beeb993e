"""Telling a lost database connection (server restarted, network down, file locked) from a
real failure, and waiting for the database to come back."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: What the window's status bar and the dispatcher say while the database is unreachable.
DATABASE_UNREACHABLE = "共有サーバーに接続できません…（自動的に再接続します）"
#: Waits between reconnection attempts, in seconds; the last one repeats.
BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)


_SQLITE_PASSING = ("locked", "busy", "unable to open", "disk i/o")


def is_database_outage(error: BaseException) -> bool:
    """True for errors that mean "the database cannot be reached right now": retrying the
    same work later is right. Constraint violations and programming errors are not."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, TimeoutError

    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, InterfaceError | TimeoutError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if type(error.orig).__module__.startswith("sqlite3"):
        # SQLite says OperationalError for "no such table" too: only these are passing.
        text = str(error.orig).lower()
        return any(word in text for word in _SQLITE_PASSING)
    return True  # psycopg: connection refused/lost, server shutting down, ...


def backoff(attempt: int) -> float:
    return BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]


def retry_through_outage(
    work: Callable[[], T],
    stop: threading.Event,
    *,
    on_outage: Callable[[BaseException], None] | None = None,
) -> T:
    """Run ``work``; while the database is unreachable, wait (backing off) and run it again.

    Only for work that is one transaction (committed whole or not at all). Raises the last
    error when ``stop`` is set during the outage.
    """
    attempt = 0
    while True:
        try:
            return work()
        except Exception as error:
            if not is_database_outage(error):
                raise
            if on_outage is not None:
                on_outage(error)
            log.warning("the database is unreachable (%s); retrying", _first_line(error))
            if stop.wait(backoff(attempt)):
                raise
            attempt += 1


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
