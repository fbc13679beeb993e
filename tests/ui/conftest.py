"""GUI test kit: offscreen Qt, a real AppContext on a fresh SQLite copy per test, a fake clock
on a weekday morning in Tokyo, and helpers to queue sample items."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import accounts
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import MainWindow
from tests.support.postgres import PostgresServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

JST = ZoneInfo("Asia/Tokyo")
#: Wednesday 25 November 2026, 09:00 in Tokyo: inside the posting window.
WEDNESDAY_MORNING = datetime(2026, 11, 25, 9, 0, tzinfo=JST)
CHIEF_PASSWORD = "password123"
ALL_CHANNELS = "x-city,x-mayor,line,facebook,youtube"


@pytest.fixture(autouse=True)
def no_gui_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's own dispatcher stays off unless a test turns it on."""
    monkeypatch.setenv("KODAIRA_GUI_DISPATCH", "0")


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with a chief, 'tanaka' (every channel) and 'sato' (LINE only),
    built once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("template")
    environ = {
        **os.environ,
        "KODAIRA_DATA_DIR": str(folder / "data"),
        "KODAIRA_CONFIG_DIR": str(folder / "config"),
        "KODAIRA_SITE_CONFIG_DIR": str(folder / "site"),
        "KODAIRA_KEYRING": "memory",
        "KODAIRA_TEST_SCRYPT_N": "1024",
    }
    path = folder / "queue.sqlite3"
    chief = AppContext.create(
        database=f"sqlite:///{path}",
        login="chief",
        environ=environ,
        clock=FakeClock(WEDNESDAY_MORNING),
    )
    accounts.initialize(chief, "chief", CHIEF_PASSWORD, "秘書広報課長")
    for login, name, channels in (
        ("tanaka", "田中 花子", ALL_CHANNELS),
        ("sato", "佐藤 一郎", "line"),
    ):
        accounts.add_user(
            chief,
            login,
            "staff",
            channels,
            display_name=name,
            chief_password=CHIEF_PASSWORD,
            new_password=None,
        )
    chief.close()
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WEDNESDAY_MORNING)


@pytest.fixture
def database_file(template_database: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "queue.sqlite3"
    shutil.copyfile(template_database, copy)
    # This PC trusts the template's chief: its root of trust is pinned here too.
    site = Path(os.environ["KODAIRA_SITE_CONFIG_DIR"])
    site.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_database.parent / "site" / "trust-root.toml", site / "trust-root.toml")
    return copy


def make_context(database_file: Path, clock: FakeClock, login: str = "tanaka") -> AppContext:
    return AppContext.create(database=f"sqlite:///{database_file}", login=login, clock=clock)


@pytest.fixture
def ctx(database_file: Path, clock: FakeClock) -> Iterator[AppContext]:
    context = make_context(database_file, clock)
    yield context
    QThreadPool.globalInstance().waitForDone(10_000)
    context.close()


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: not main.runner.busy)
    return main


@pytest.fixture
def sample_png(tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3b7d4f"))
    assert image.save(str(path))
    return path


@pytest.fixture
def empty_postgres(postgres_server: PostgresServer) -> Iterator[tuple[str, str]]:
    """(URL without the password, the password) of a new, empty database on the test server:
    what IT hands the section for the first-run wizard's 共有サーバー."""
    name = postgres_server.create_database()
    try:
        url = postgres_server.url(name).replace(f":{postgres_server.password}@", "@")
        yield url, postgres_server.password
    finally:
        postgres_server.drop_database(name)
