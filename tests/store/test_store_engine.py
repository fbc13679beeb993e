"""Opening databases: PostgreSQL passwords from a callback (the keyring), never the URL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from kodaira_desktop.store.engine import open_database


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_postgres_password_comes_from_the_provider(database_url: str) -> None:
    url = make_url(database_url)
    if not url.password:
        pytest.skip("the test server accepts connections without a password")
    bare = URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database
    ).render_as_string(hide_password=False)
    assert url.password not in bare
    asked: list[int] = []

    def provider() -> str | None:
        asked.append(1)
        return url.password

    db = open_database(bare, password_provider=provider)
    try:
        with db.read() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1
        assert asked
    finally:
        db.dispose()

    without = open_database(bare)
    try:
        with pytest.raises(OperationalError), without.read() as session:
            session.execute(text("SELECT 1"))
    finally:
        without.dispose()


def test_a_password_in_the_url_wins_over_the_provider() -> None:
    db = open_database("postgresql://kodaira:secret@127.0.0.1:1/queue", lambda: "other")
    try:
        assert db.url.drivername == "postgresql+psycopg"
        assert db.backend == "postgresql"
        assert db.url.password == "secret"
    finally:
        db.dispose()
