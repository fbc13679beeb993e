"""Hostile input through the in-process command line (``kodaira_desktop.cli.main``)."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from kodaira_desktop.cli import main
from kodaira_desktop.services import accounts
from kodaira_desktop.services.context import AppContext

MORNING = "2026-11-25T10:00:00+09:00"
CHIEF, CHIEF_PASSWORD, STAFF = "kacho", "kacho-password-1", "tanaka"


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@dataclass
class Office:
    home: Path
    url: str
    database: Path
    password_file: Path

    def run(self, *argv: str, user: str = STAFF, stdin: str = "", chief: bool = False) -> Outcome:
        args = ["--database", self.url, "--user", user]
        if chief:
            args += ["--password-file", str(self.password_file)]
        return run_cli([*args, *argv], stdin)

    def snapshot(self) -> tuple[object, ...]:
        """Everything a refused command must leave as it was."""
        with contextlib.closing(sqlite3.connect(self.database)) as db:
            counts = tuple(
                db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("items", "entries", "media", "audit_log", "users")
            )
            versions = db.execute("SELECT SUM(version) FROM entries").fetchone()
        skip = (".log", ".sqlite3", ".sqlite3-wal", ".sqlite3-shm")
        files = (self.home / "data").rglob("*")
        media = sorted(p.name for p in files if p.is_file() and p.suffix not in skip)
        return (*counts, versions, tuple(media))


def run_cli(argv: Sequence[str], stdin: str = "") -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exit_:  # argparse
                code = int(exit_.code or 0)
    finally:
        sys.stdin = saved
    return Outcome(code, out.getvalue(), err.getvalue())


def assert_clear_refusal(outcome: Outcome, codes: tuple[int, ...] = (1, 2)) -> None:
    """Exit 1 or 2, one error sentence on stderr (argparse's usage lines aside; notices such
    as the LINE quota may precede it), no traceback, nothing on stdout."""
    assert outcome.code in codes, outcome
    assert "Traceback" not in outcome.err
    lines = [line for line in outcome.err.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("kodaira-desktop")]
    assert len(errors) == 1, outcome.err[:2000]
    assert outcome.out == ""


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:
    monkeypatch.setenv("KODAIRA_FAKE_NOW", MORNING)
    database = tmp_path / "queue.sqlite3"
    url = f"sqlite:///{database}"
    chief = AppContext.create(database=url, login=CHIEF)
    accounts.initialize(chief, CHIEF, CHIEF_PASSWORD, "課長")
    accounts.add_user(
        chief, STAFF, "staff", "x-city,x-mayor,line,facebook,youtube",
        display_name="田中", chief_password=CHIEF_PASSWORD, new_password=None,
    )  # fmt: skip
    chief.close()
    password_file = tmp_path / "chief-password.txt"
    password_file.write_text(CHIEF_PASSWORD + "\n", encoding="utf-8")
    return Office(tmp_path, url, database, password_file)
