"""Start-up: the first paint, and the month, come before the heavy imports; tabs are built
when first shown; a newer schema is refused."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.store.engine import open_database
from kodaira_desktop.store.migrate import upgrade_database
from kodaira_desktop.store.schema_version import SchemaState, check_schema, known_revisions
from kodaira_desktop.ui.main_window import TAB_COMPOSER, TAB_TABLE, MainWindow
from tests.ui.conftest import make_context

HEAVY = (
    "sqlalchemy",
    "alembic",
    "httpx",
    "keyring",
    "cryptography",
    "holidays",
    "importlib.metadata",
)

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


#: Runs the real entry point with --smoke and notes what was imported when the month was shown.
MONTH_SPY = """
import json, sys
from kodaira_desktop import cli
from kodaira_desktop.ui import main_window

seen = []
original = main_window.MainWindow._first_screen

def spy(self, view):
    original(self, view)
    heavy = sorted(m for m in {heavy!r} if m in sys.modules)
    seen.append({{"month": self.shows_current_month_with_entries(), "heavy": heavy}})

main_window.MainWindow._first_screen = spy
code = cli.main(["--database", {url!r}, "--smoke"])
print(json.dumps({{"code": code, "at_month": seen[0] if seen else None}}))
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


def test_the_month_is_shown_before_sqlalchemy_is_imported_on_sqlite(
    database_file: Path, tmp_path: Path
) -> None:
    script = MONTH_SPY.format(heavy=HEAVY, url=f"sqlite:///{database_file}")
    results = []
    for _run in range(2):  # the first run on a PC builds (and caches) the holiday table
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert set(results[0]["at_month"]["heavy"]) <= {"holidays", "importlib.metadata"}
    assert results[1] == {"code": 0, "at_month": {"month": True, "heavy": []}}


def test_deferred_start_up_builds_the_composer_next_and_the_table_when_shown(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    other = make_context(database_file, clock)  # another PC queued a post for in an hour
    when = clock.now() + timedelta(hours=1)
    other.store.create_item_with_entries(
        text="お知らせ",
        category=None,
        author="tanaka",
        channels=["x-city", "line"],
        scheduled_at=when,
    )
    other.close()
    ctx = make_context(database_file, clock)
    window = MainWindow(ctx, deferred=True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.built, timeout=20_000) as built:
        window.show()
    assert built.args == [True]
    assert "database" not in ctx.__dict__  # read through sqlite3: the Store is not open yet
    assert window.shows_current_month_with_entries()
    day = ctx.policy.localize(when).date()
    assert len(window.calendar_panel.calendar.entries_on(day)) == 2
    qtbot.waitUntil(lambda: window.is_built, timeout=20_000)
    # What start-up loaded is out of the full collections' way (they stalled the window).
    assert gc.get_freeze_count() > 0
    gc.unfreeze()  # this test process goes on making and dropping windows
    assert window.tabs.widget(TAB_COMPOSER) is window.composer
    assert window.tabs.tabText(TAB_TABLE) == "予約一覧"
    assert not hasattr(window, "table")  # not built until first shown
    assert isinstance(window.tabs.widget(TAB_TABLE), QLabel)
    with qtbot.waitSignal(window.queueRefreshed, timeout=10_000):
        window.refresh_queue()  # a refresh leaves the unbuilt tab alone
    with qtbot.waitSignal(window.tabs.currentChanged, timeout=10_000):
        window.tabs.setCurrentIndex(TAB_TABLE)
    assert window.tabs.currentWidget() is window.table
    qtbot.waitUntil(lambda: window.table.model.rowCount() == 2, timeout=10_000)
    assert window.ensure_table() is window.table
    assert window.tabs.indexOf(window.table) == TAB_TABLE
    window.close()
    QThreadPool.globalInstance().waitForDone(10_000)
    ctx.close()


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


def test_smoke_on_a_new_database_takes_the_store_path(database_url: str, tmp_path: Path) -> None:
    """A new SQLite file or a PostgreSQL database: no sqlite3 shortcut, the Store creates the
    schema, and the month is still shown (the user is not registered: the notice instead of
    the composer)."""
    command = [sys.executable, "-m", "kodaira_desktop", "--database", database_url, "--smoke"]
    done = subprocess.run(command, env=environment(tmp_path), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ctx = AppContext.create(database=database_url, login="tanaka", environ=environment(tmp_path))
    try:
        assert check_schema(ctx.database).state is SchemaState.CURRENT
    finally:
        ctx.close()
