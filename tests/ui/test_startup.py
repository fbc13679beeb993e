"""Start-up: the first paint comes before the heavy imports; a newer schema is refused."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.store.engine import open_database
from kodaira_desktop.store.migrate import upgrade_database
from kodaira_desktop.store.schema_version import SchemaState, check_schema, known_revisions

HEAVY = ("sqlalchemy", "alembic", "httpx", "keyring", "cryptography", "holidays")

#: Runs the real entry point with --smoke-paint and notes what was imported at the first paint.
SPY = """
import json, sys
from PySide6.QtCore import QEvent
from kodaira_desktop import cli
from kodaira_desktop.ui import main_window

seen = []
original = main_window.MainWindow.eventFilter

def spy(self, watched, event):
    if not seen and event.type() == QEvent.Type.Paint:
        seen.append(sorted(m for m in {heavy!r} if m in sys.modules))
    return original(self, watched, event)

main_window.MainWindow.eventFilter = spy
code = cli.main(["--database", {url!r}, "--smoke-paint"])
print(json.dumps({{"code": code, "at_first_paint": seen[0] if seen else None}}))
"""


def environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KODAIRA_DATA_DIR": str(tmp_path / "data"),
        "KODAIRA_CONFIG_DIR": str(tmp_path / "config"),
        "KODAIRA_SITE_CONFIG_DIR": str(tmp_path / "site"),
        "KODAIRA_KEYRING": "memory",
        "KODAIRA_GUI_DISPATCH": "0",
    }


def test_the_first_paint_comes_before_the_heavy_imports(
    database_file: Path, tmp_path: Path
) -> None:
    script = SPY.format(heavy=HEAVY, url=f"sqlite:///{database_file}")
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "at_first_paint": []}


def test_smoke_paint_and_smoke_exit_0_from_the_real_entry_point(
    database_file: Path, tmp_path: Path
) -> None:
    for option in ("--smoke-paint", "--smoke"):
        command = [sys.executable, "-m", "kodaira_desktop", "--database"]
        command += [f"sqlite:///{database_file}", option]
        done = subprocess.run(command, env=environment(tmp_path), capture_output=True, timeout=60)
        assert done.returncode == 0, (option, done.stderr)


def set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_the_schema_check_needs_no_alembic(ctx: AppContext) -> None:
    revisions, head = known_revisions()
    assert head in revisions
    assert "0001" in revisions
    assert check_schema(ctx.database).state is SchemaState.CURRENT


def test_a_newer_schema_is_refused_with_a_clear_message(
    database_file: Path, tmp_path: Path
) -> None:
    set_revision(database_file, "9999")
    ctx = AppContext.create(
        database=f"sqlite:///{database_file}", login="tanaka", environ=environment(tmp_path)
    )
    with pytest.raises(ServiceError, match="新しい版のアプリ") as refused:
        ctx.database  # noqa: B018
    assert refused.value.invalid
    command = [sys.executable, "-m", "kodaira_desktop", "--database"]
    command += [f"sqlite:///{database_file}", "queue", "list"]
    done = subprocess.run(
        command, env=environment(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "update this app first" in done.stderr
    assert "Traceback" not in done.stderr
    smoke = subprocess.run(
        [*command[:4], "--smoke"], env=environment(tmp_path), capture_output=True, timeout=60
    )
    assert smoke.returncode == 2


def test_an_older_schema_is_upgraded_with_a_backup(tmp_path: Path) -> None:
    older = tmp_path / "older.sqlite3"
    db = open_database(f"sqlite:///{older}")
    try:
        upgrade_database(db, None, revision="0002")  # a database from an earlier release
    finally:
        db.dispose()
    env = environment(tmp_path)
    ctx = AppContext.create(database=f"sqlite:///{older}", login="tanaka", environ=env)
    try:
        assert check_schema(ctx.database).state is SchemaState.CURRENT
        assert list(ctx.paths.backup_dir.glob("*rev0002*"))
    finally:
        ctx.close()
