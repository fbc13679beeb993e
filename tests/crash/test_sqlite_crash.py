"""SQLite writers killed with SIGKILL in the middle of bursts of writes: the file stays intact
(``PRAGMA integrity_check`` is ``ok``), the audit chain verifies, and every state change has
its audit row and no audit row lacks its state change (they commit in one transaction)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from kodaira_desktop.services import accounts, audit
from kodaira_desktop.services.context import AppContext

pytestmark = pytest.mark.slow

WRITERS = 3
ROUNDS = int(os.environ.get("KODAIRA_CRASH_ROUNDS", "5"))


def start(url: str, name: str, env: dict[str, str]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.crash.writer", url, name],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def test_sigkill_during_bursts_of_writes_leaves_sqlite_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KODAIRA_FAKE_NOW", "2026-11-25T10:00:00+09:00")
    database = tmp_path / "queue.sqlite3"
    url = f"sqlite:///{database}"
    chief = AppContext.create(database=url, login="kacho")
    accounts.initialize(chief, "kacho", "kacho-password-1", "課長")
    accounts.add_user(chief, "tanaka", "staff", "x-city,line", display_name="田中",
                      chief_password="kacho-password-1", new_password=None)  # fmt: skip
    chief.close()
    env = dict(os.environ)
    rng = random.Random(7)
    writers = {f"w{i}": start(url, f"w{i}", env) for i in range(WRITERS)}
    kills = 0
    try:
        for _ in range(ROUNDS):
            time.sleep(rng.uniform(0.2, 0.8))
            for name in rng.sample(sorted(writers), rng.randint(1, 2)):
                writers[name].send_signal(signal.SIGKILL)
                writers[name].wait()
                kills += 1
                writers[name] = start(url, name, env)
    finally:
        for process in writers.values():
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1

    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        published = {
            f"entry:{entry_id}"
            for (entry_id,) in db.execute("SELECT id FROM entries WHERE state = 'published'")
        }
        recorded = [
            target
            for (target,) in db.execute(
                "SELECT target FROM audit_log WHERE action = 'entry.published'"
            )
        ]
        bursts = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    ctx = AppContext.create(database=url, login="tanaka")
    try:
        verdict = audit.verify(ctx)
    finally:
        ctx.close()
    print(f"crash test: {kills} SIGKILLs, {len(published)} entries published, "
          f"{bursts} audit rows, integrity ok, chain {verdict.ok}")  # fmt: skip
    assert verdict.ok, verdict.message
    assert len(published) > 20, "the writers did too little to mean anything"
    assert sorted(recorded) == sorted(published)  # one audit row per change, no more, no less
