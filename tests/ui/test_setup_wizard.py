"""The first-run wizard (初期設定): この PC or a shared server, the first chief, a second PC
importing trust-root.toml; the window then opens as that user without a restart."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.security import chief_keys, trust_root
from kodaira_desktop.security.secrets import SecretStore, backend_from_env
from kodaira_desktop.services import accounts
from kodaira_desktop.services.context import DATABASE_PASSWORD_SECRET, AppContext
from kodaira_desktop.ui.setup_wizard import PAGE_CHIEF, PAGE_DONE, PAGE_JOIN, PAGE_LOCATION
from tests.ui.conftest import WEDNESDAY_MORNING
from tests.ui.setup_steps import (
    CHIEF_DISPLAY,
    CHIEF_LOGIN,
    NEW_CHIEF_PASSWORD,
    error_text,
    finish,
    first_chief,
    location,
    new_context,
    run_wizard_postgres,
    run_wizard_sqlite,
    start,
    wizard_of,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WEDNESDAY_MORNING)


@pytest.fixture
def pc(clock: FakeClock) -> Iterator[AppContext]:
    """A new PC: nothing set up, the OS login 'kacho'."""
    ctx = new_context(clock=clock)
    yield ctx
    ctx.close()


def files_under(*folders: Path) -> list[Path]:
    return [
        path
        for folder in folders
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file()
    ]


def test_a_new_pc_sets_up_on_this_pc_and_opens_as_the_chief(
    qtbot: QtBot, pc: AppContext, clock: FakeClock
) -> None:
    flow, window = run_wizard_sqlite(qtbot, pc)
    try:
        assert window.user is not None
        assert (window.user.login, window.user.role) == (CHIEF_LOGIN, "chief")
        assert window.user.display_name == CHIEF_DISPLAY
        assert window.composer is not None
        assert window.ctx.database_url == pc.paths.default_database_url
        root = accounts.read_root(window.ctx)
        assert root is not None
        assert root.chief_login == CHIEF_LOGIN
        assert flow.wizard is not None
        assert flow.wizard.done_page.fingerprint.text() == root.fingerprint
        # The default file needs no setting: the next start finds the same database.
        again = new_context(clock=clock)
        assert again.database_url == pc.paths.default_database_url
        assert accounts.chief_exists(again)
        again.close()
    finally:
        flow.shut_down()


def test_the_chief_page_refuses_short_or_differing_passwords(qtbot: QtBot, pc: AppContext) -> None:
    flow = start(qtbot, pc)
    wizard = wizard_of(qtbot, flow)
    try:
        assert location(qtbot, wizard, None)
        assert wizard.currentId() == PAGE_CHIEF
        assert wizard.chief_page.login.text() == "kacho"  # the OS login by default
        wizard.chief_page.password.setText("short")
        assert wizard.chief_page.hint.text().startswith("弱い")
        wizard.chief_page.password.setText("Kodaira-2026!x")
        assert wizard.chief_page.hint.text() == "強い"
        assert not first_chief(qtbot, wizard, password="short")
        assert "8文字以上" in error_text(wizard)
        assert not first_chief(qtbot, wizard, again="Kodaira-2027!")
        assert "一致しません" in error_text(wizard)
        assert wizard.currentId() == PAGE_CHIEF
        assert not accounts.chief_exists(wizard.target)  # type: ignore[arg-type]
        assert first_chief(qtbot, wizard)
        assert wizard.currentId() == PAGE_DONE
    finally:
        wizard.reject()
        flow.shut_down()


@pytest.mark.postgres
def test_a_shared_server_keeps_its_password_in_the_keyring_only(
    qtbot: QtBot, pc: AppContext, clock: FakeClock, empty_postgres: tuple[str, str], tmp_path: Path
) -> None:
    url, password = empty_postgres
    flow, window = run_wizard_postgres(qtbot, pc, url, password)
    try:
        assert window.user is not None
        assert window.user.role == "chief"
        assert window.ctx.database_url == url
        keyring = SecretStore(backend_from_env(os.environ))
        assert keyring.get_secret(DATABASE_PASSWORD_SECRET) == password
        assert flow.wizard is not None
        assert flow.wizard.location_page.password.text() == ""
        config = pc.paths.config_dir / "config.toml"
        assert url in config.read_text(encoding="utf-8")
        for path in files_under(tmp_path):
            assert password.encode() not in path.read_bytes(), path
        # The next start reads the URL from this user's config.toml and the password from
        # the keyring.
        again = new_context(clock=clock)
        assert again.database_url == url
        assert again.settings is not None
        assert again.settings.database_url.origin == str(config)
        assert accounts.chief_exists(again)
        again.close()
    finally:
        flow.shut_down()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.postgres
def test_a_server_that_cannot_be_used_says_why_and_stays_on_the_page(
    qtbot: QtBot, pc: AppContext, empty_postgres: tuple[str, str], tmp_path: Path
) -> None:
    url, password = empty_postgres
    flow = start(qtbot, pc)
    wizard = wizard_of(qtbot, flow)
    try:
        cases = (
            (url, "wrong-password", "パスワードが違います"),
            (url.rsplit("/", 1)[0] + "/no_such_db", password, "データベースはサーバーにありません"),
            (f"postgresql://kodaira@127.0.0.1:{_free_port()}/kodaira", password, "接続を拒否"),
            (
                "postgresql://kodaira@no-such-host.invalid/kodaira",
                password,
                "サーバー名が見つかりません",
            ),
            ("mysql://kodaira@dbhost/kodaira", password, "postgresql://"),
        )
        for server, typed, reason in cases:
            assert not location(qtbot, wizard, server, typed), server
            assert reason in error_text(wizard), (server, error_text(wizard))
            assert wizard.currentId() == PAGE_LOCATION
        keyring = SecretStore(backend_from_env(os.environ))
        assert keyring.get_secret(DATABASE_PASSWORD_SECRET) is None
        assert not (pc.paths.config_dir / "config.toml").exists()
        assert location(qtbot, wizard, url, password), error_text(wizard)
        assert wizard.currentId() == PAGE_CHIEF
    finally:
        wizard.reject()
        flow.shut_down()


@pytest.mark.postgres
def test_a_database_of_a_newer_app_is_refused_with_the_reason(
    qtbot: QtBot, pc: AppContext, empty_postgres: tuple[str, str]
) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url, password = empty_postgres
    parsed = make_url(url)
    with psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, password=password,
        dbname=parsed.database, autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    flow = start(qtbot, pc)
    wizard = wizard_of(qtbot, flow)
    try:
        assert not location(qtbot, wizard, url, password)
        assert "新しい版のアプリ" in error_text(wizard)
        assert wizard.currentId() == PAGE_LOCATION
    finally:
        wizard.reject()
        flow.shut_down()


def _second_pc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    """Another PC: its own config folders, nothing pinned, the same keyring and database."""
    monkeypatch.setenv("KODAIRA_CONFIG_DIR", str(tmp_path / "pc2" / "config"))
    monkeypatch.setenv("KODAIRA_SITE_CONFIG_DIR", str(tmp_path / "pc2" / "site"))
    monkeypatch.setenv("KODAIRA_USER", login)


def _first_pc_with_a_chief(database_url: str, clock: FakeClock) -> tuple[Path, str]:
    """The first PC creates the chief (as the wizard does) and 'tanaka'; returns its pinned
    trust-root.toml and fingerprint."""
    first = new_context(database=database_url, clock=clock)
    accounts.initialize(first, CHIEF_LOGIN, NEW_CHIEF_PASSWORD, CHIEF_DISPLAY)
    accounts.add_user(
        first, "tanaka", "staff", "line", display_name="田中 花子",
        chief_password=NEW_CHIEF_PASSWORD, new_password=None,
    )  # fmt: skip
    path = accounts.trust_root_path(first)
    root = accounts.read_root(first)
    first.close()
    assert path is not None
    assert root is not None
    return path, root.fingerprint


def test_a_second_pc_imports_the_first_pcs_trust_root(
    qtbot: QtBot,
    database_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first_root, fingerprint = _first_pc_with_a_chief(database_url, clock)
    forged = tmp_path / "forged" / "trust-root.toml"
    trust_root.write_trust_root(forged, chief_keys.fingerprint(os.urandom(32)), CHIEF_LOGIN)
    _second_pc(tmp_path, monkeypatch, "tanaka")
    ctx = new_context("tanaka", database=database_url, clock=clock)
    flow = start(qtbot, ctx)
    wizard = wizard_of(qtbot, flow)
    try:
        server = None if database_url.startswith("sqlite") else database_url
        assert location(qtbot, wizard, server), error_text(wizard)
        assert wizard.currentId() == PAGE_JOIN
        if server is not None:  # the password typed into the URL is not left on the screen
            user_part, _, host_part = wizard.location_page.url.text().partition("@")
            assert user_part.endswith("://postgres")  # no ":password"
            assert host_part == database_url.partition("@")[2]

        wizard.join_page.fill(forged)
        assert not flow_next(qtbot, wizard)
        assert "一致しません" in error_text(wizard)
        assert accounts.trust_root_path(ctx) is None

        wizard.join_page.fill(first_root)
        assert fingerprint in wizard.join_page.fingerprint.text()  # to compare with PC 1's
        assert flow_next(qtbot, wizard), error_text(wizard)
        assert wizard.done_page.fingerprint.text() == fingerprint
        window = finish(qtbot, flow, wizard)
        assert window.user is not None
        assert window.user.login == "tanaka"
        assert window.composer is not None
        assert accounts.trusted_chief_keys(window.ctx).keys() == {CHIEF_LOGIN}
    finally:
        flow.shut_down()
        ctx.close()


def flow_next(qtbot: QtBot, wizard: object) -> bool:
    from tests.ui.setup_steps import press_next

    return press_next(qtbot, wizard)  # type: ignore[arg-type]


def test_cancelling_the_wizard_opens_the_window_as_it_is(qtbot: QtBot, pc: AppContext) -> None:
    flow = start(qtbot, pc)
    wizard = wizard_of(qtbot, flow)
    wizard.reject()
    try:
        qtbot.waitUntil(lambda: flow.window is not None and flow.window.is_built, timeout=20_000)
        assert flow.window is not None
        assert flow.window.user is None
        assert flow.window.findChild(object, "unregisteredPanel") is not None
    finally:
        flow.shut_down()


def test_a_database_that_cannot_be_reached_at_start_opens_the_wizard_with_the_reason(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> None:
    first = new_context(clock=clock)  # this PC was set up once (root pinned) ...
    accounts.initialize(first, CHIEF_LOGIN, NEW_CHIEF_PASSWORD, CHIEF_DISPLAY)
    first.close()
    down = f"postgresql://kodaira@127.0.0.1:{_free_port()}/kodaira"  # ... its server is down
    ctx = new_context(database=down, clock=clock)
    flow = start(qtbot, ctx)
    try:
        wizard = wizard_of(qtbot, flow)
        assert flow.window is not None
        assert not flow.window.isVisible()
        assert "保存先のデータベースを開けませんでした：共有サーバーに接続できません" in error_text(
            wizard
        )
        assert wizard.location_page.url.text() == down.replace("postgresql:", "postgresql+psycopg:")
        assert location(qtbot, wizard, None), error_text(wizard)  # back to この PC
        assert wizard.currentId() == PAGE_DONE  # chief and root already there
        window = finish(qtbot, flow, wizard)
        assert window.ctx.database_url == ctx.paths.default_database_url
        assert window.user is not None
        assert window.user.login == CHIEF_LOGIN
    finally:
        flow.shut_down()
        ctx.close()


def test_the_app_starts_with_the_wizard_on_a_new_pc(qtbot: QtBot, pc: AppContext) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kodaira_desktop.ui.app import run_gui
    from kodaira_desktop.ui.main_window import MainWindow
    from kodaira_desktop.ui.setup_wizard import SetupWizard

    seen: list[tuple[int, int]] = []

    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        wizards = sum(isinstance(w, SetupWizard) for w in shown)
        windows = sum(isinstance(w, MainWindow) for w in shown)
        seen.append((wizards, windows))
        QApplication.exit(0)

    QTimer.singleShot(300, look)
    assert run_gui(pc) == 0
    assert seen == [(1, 0)]  # the wizard, and no window behind it yet


def test_the_wizard_is_driven_by_the_keyboard(qtbot: QtBot, pc: AppContext) -> None:
    from PySide6.QtCore import Qt

    flow = start(qtbot, pc)
    wizard = wizard_of(qtbot, flow)
    try:
        wizard.location_page.local.setFocus()
        qtbot.keyClick(wizard.location_page.local, Qt.Key.Key_Return)  # 次へ is the default
        qtbot.waitUntil(lambda: wizard.currentId() == PAGE_CHIEF, timeout=20_000)
        for field in (wizard.chief_page.login, wizard.chief_page.display):
            assert field.accessibleName()
        wizard.chief_page.fill(CHIEF_LOGIN, CHIEF_DISPLAY, NEW_CHIEF_PASSWORD)
        qtbot.keyClick(wizard.chief_page.again, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: wizard.currentId() == PAGE_DONE, timeout=20_000)
    finally:
        wizard.reject()
        flow.shut_down()
