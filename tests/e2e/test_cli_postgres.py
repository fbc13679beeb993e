"""Several PCs share one PostgreSQL queue; its password comes from the OS keyring."""

from __future__ import annotations

from pathlib import Path

import pytest

from kodaira_desktop.security.keyring_backends import FileKeyring
from kodaira_desktop.security.secrets import SecretStore
from kodaira_desktop.services.context import DATABASE_PASSWORD_SECRET
from tests.e2e.harness import CHIEF, CHIEF_PASSWORD, Cli
from tests.support.postgres import PostgresServer


@pytest.mark.postgres
def test_password_less_url_takes_the_password_from_the_keyring(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    name = postgres_server.create_database()
    try:
        url = postgres_server.url(name).replace(f":{postgres_server.password}@", "@")
        assert postgres_server.password not in url
        cli = Cli(home=tmp_path, database_url=url)
        refused = cli.run("init", "--chief", CHIEF, user=CHIEF, password=CHIEF_PASSWORD, expect=1)
        assert "database error" in refused.stderr
        SecretStore(FileKeyring(tmp_path / "keyring")).set_secret(
            DATABASE_PASSWORD_SECRET, postgres_server.password
        )
        cli.run("init", "--chief", CHIEF, user=CHIEF, password=CHIEF_PASSWORD)
        assert f"{CHIEF}\tchief" in cli.run("users", "list").stdout
    finally:
        postgres_server.drop_database(name)
