"""services/setup.py: the URL's password kept apart, the strength hint, the failure reasons."""

from __future__ import annotations

import pytest

from kodaira_desktop.services import setup
from kodaira_desktop.services.context import ServiceError


def test_the_password_is_taken_out_of_a_server_url() -> None:
    bare, password = setup.split_password("postgresql://kodaira:s3cr%40t@dbhost:5433/kodaira")
    assert bare == "postgresql+psycopg://kodaira@dbhost:5433/kodaira"
    assert password == "s3cr@t"
    assert setup.split_password("postgresql+psycopg://kodaira@dbhost/kodaira") == (
        "postgresql+psycopg://kodaira@dbhost/kodaira",
        None,
    )
    for wrong in ("sqlite:///x.sqlite3", "not a url"):
        with pytest.raises(ServiceError):
            setup.split_password(wrong)


@pytest.mark.parametrize(
    ("password", "start"),
    [("", "弱い"), ("abcdefg", "弱い"), ("abcdefgh", "普通"), ("Kodaira-2026!", "強い"),
     ("a" * 16, "強い")],
)  # fmt: skip
def test_the_strength_hint(password: str, start: str) -> None:
    assert setup.password_hint(password).startswith(start)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('password authentication failed for user "kodaira"', "パスワードが違います"),
        ('database "nope" does not exist', "データベースはサーバーにありません"),
        ('failed to resolve host "nohost": [Errno -2] Name or service not known', "サーバー名"),
        ("connection to server at 127.0.0.1 failed: Connection refused", "接続を拒否"),
        ("connection timeout expired", "応答がありません"),
        ("something else entirely", "データベースに接続できません：something else"),
    ],
)
def test_each_connection_failure_has_a_japanese_reason(message: str, reason: str) -> None:
    assert reason in setup.connection_reason(Exception(message))
