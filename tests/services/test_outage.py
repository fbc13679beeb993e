"""Which database errors are an outage to wait out, and which are real failures."""

from __future__ import annotations

import sqlite3
import threading

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from kodaira_desktop.services import outage


def wrapped(orig: Exception) -> OperationalError:
    return OperationalError("SELECT 1", {}, orig)


def test_lost_connections_are_outages_but_bugs_are_not() -> None:
    assert outage.is_database_outage(wrapped(psycopg.OperationalError("connection refused")))
    assert outage.is_database_outage(wrapped(sqlite3.OperationalError("database is locked")))
    assert not outage.is_database_outage(wrapped(sqlite3.OperationalError("no such table: x")))
    assert not outage.is_database_outage(IntegrityError("INSERT", {}, Exception("dup")))
    assert not outage.is_database_outage(ValueError("bug"))


def test_retry_waits_out_an_outage_then_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outage, "BACKOFF_S", (0.0,))
    failures = iter([wrapped(psycopg.OperationalError("server closed the connection"))] * 3)
    seen: list[BaseException] = []

    def work() -> str:
        error = next(failures, None)
        if error is not None:
            raise error
        return "done"

    assert outage.retry_through_outage(work, threading.Event(), on_outage=seen.append) == "done"
    assert len(seen) == 3


def test_retry_gives_up_when_stopped_and_never_retries_a_bug() -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(OperationalError):
        outage.retry_through_outage(
            lambda: (_ for _ in ()).throw(wrapped(psycopg.OperationalError("down"))), stop
        )
    calls: list[int] = []

    def bug() -> None:
        calls.append(1)
        raise KeyError("bug")

    with pytest.raises(KeyError):
        outage.retry_through_outage(bug, threading.Event())
    assert calls == [1]
