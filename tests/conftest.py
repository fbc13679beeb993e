"""Suite-wide test set-up: offscreen Qt, an isolated environment per test, and the
``database_url`` fixture that runs a test on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import (
    ENV_URL,
    PostgresServer,
    ThrowawayCluster,
    find_bindir,
    server_from_url,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_CLEARED_ENV = (
    "KODAIRA_DATABASE_URL",
    "KODAIRA_POLICY",
    "KODAIRA_USER",
    "KODAIRA_FAKE_NOW",
    "KODAIRA_TRUST_ROOT_FILE",
    "KODAIRA_LOG_DIR",
)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Per-user data and config dirs under tmp_path; no database, policy or user from the
    developer's shell leaks into a test."""
    for name in _CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KODAIRA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KODAIRA_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # autostart files
    # Never the machine's own config folder or keyring; cheap chief keys for speed.
    monkeypatch.setenv("KODAIRA_SITE_CONFIG_DIR", str(tmp_path / "site-config"))
    monkeypatch.setenv("KODAIRA_KEYRING", "memory")
    monkeypatch.setenv("KODAIRA_TEST_SCRYPT_N", "1024")
    from kodaira_desktop.security.keyring_backends import reset_shared_memory_keyring

    reset_shared_memory_keyring()
    return tmp_path


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI so PostgreSQL is never silently untested."""
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The server in KODAIRA_TEST_POSTGRES_URL, else one throwaway cluster per test session."""
    if url := os.environ.get(ENV_URL):
        yield server_from_url(url)
        return
    bindir = find_bindir()
    if bindir is None:
        _unavailable(f"no PostgreSQL server binaries found and {ENV_URL} is not set")
    assert bindir is not None
    cluster = ThrowawayCluster(bindir)
    try:
        server = cluster.start()
    except (RuntimeError, KeyError, OSError) as error:
        cluster.stop()
        _unavailable(f"could not start a throwaway PostgreSQL cluster: {error}")
        raise
    try:
        yield server
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'queue.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)
