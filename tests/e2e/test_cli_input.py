"""Issue 15, finding 7, through the real command line: pipes and devices are refused at once,
refused characters are named with their position, a malformed closure is exit 2 with the key
and line, and `doctor` warns about connections without TLS."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.e2e.harness import Cli
from tests.fakes import FakeServices

#: Well under the harness's default: a hang shows up as a timeout, not a stuck suite.
FAST = 30.0


@pytest.fixture
def bare(tmp_path: Path, services: FakeServices) -> Cli:
    """A command line on a SQLite file (the input rules do not depend on the database)."""
    return Cli(
        home=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        extra_env=services.env(),
    )


@pytest.fixture
def office(bare: Cli) -> Cli:
    """The same, with a chief and a staff member (media are checked for a known user)."""
    bare.setup_office()
    return bare


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)  # nobody ever writes to it: reading it would wait forever
    return path


def refused_at_once(cli: Cli, *args: str) -> str:
    started = time.monotonic()
    refused = cli.run(*args, expect=2, timeout=FAST)
    assert time.monotonic() - started < FAST
    assert "unexpected error" not in refused.stderr
    return refused.stderr


@pytest.mark.parametrize("option", ["--text-file", "--policy", "--password-file"])
def test_a_pipe_or_a_device_is_refused_at_once(bare: Cli, fifo: Path, option: str) -> None:
    for path in (str(fifo), "/dev/zero"):
        if option == "--text-file":
            args = ["queue", "add", "--channel", "x-city", "--text-file", path]
        elif option == "--policy":
            args = ["--policy", path, "queue", "add", "--channel", "x-city", "--text", "お知らせ"]
        else:
            args = ["--password-file", path, "init", "--chief", "kacho"]
        assert f"{path} is not a regular file" in refused_at_once(bare, *args)


def test_a_pipe_or_a_device_as_media_is_refused_at_once(office: Cli, fifo: Path) -> None:
    for path in (str(fifo), "/dev/zero"):
        stderr = refused_at_once(
            office, "queue", "add", "--channel", "x-city", "--text", "写真", "--media", path
        )
        assert "通常のファイルではありません" in stderr
    assert office.entries() == []


REFUSED_TEXTS = [
    ("お知らせ\u202egnp.exe", ["5 文字目", "U+202E"]),
    ("避難所\u2066を\u2069開設", ["4 文字目", "U+2066", "6 文字目", "U+2069"]),
    ("鐘\x1b[31m赤", ["2 文字目", "U+001B"]),
    ("C1\x85です", ["3 文字目", "U+0085"]),
]


def test_queue_add_refuses_control_and_bidi_characters(office: Cli) -> None:
    for text, words in REFUSED_TEXTS:
        refused = office.run("queue", "add", "--channel", "x-city", "--text", text, expect=2)
        for word in words:
            assert word in refused.stderr
    assert office.entries() == []


def test_queue_add_refuses_a_control_character_in_a_youtube_title(
    office: Cli, tmp_path: Path
) -> None:
    from tests.samples import mp4_bytes

    video = tmp_path / "kodaira.mp4"
    video.write_bytes(mp4_bytes(payload_size=2000))
    refused = office.run(
        "queue", "add", "--channel", "youtube", "--text", "紹介", "--media", str(video),
        "--title", "小平\x07の四季", expect=2,
    )  # fmt: skip
    assert "タイトルの 3 文字目" in refused.stderr
    assert "U+0007" in refused.stderr


def test_a_text_file_saved_on_windows_is_accepted(office: Cli, tmp_path: Path) -> None:
    text = tmp_path / "post.txt"
    text.write_bytes("\ufeff小平市からのお知らせ\r\n二行目\r\n".encode())
    office.run("queue", "add", "--channel", "x-city", "--text-file", str(text))
    (row,) = office.entries()
    assert row["state"] == "scheduled"


@pytest.mark.parametrize(
    "closure", ['["12-31", "12-30"]', '["01-01", "12-31"]', '["12-29"]', '"12-29"']
)
def test_a_malformed_closure_is_refused_with_the_key_and_the_line(
    bare: Cli, tmp_path: Path, closure: str
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'[policy]\ntimezone = "Asia/Tokyo"\nyear_end_closure = {closure}\n', encoding="utf-8"
    )
    refused = bare.run(
        "--policy", str(policy), "queue", "add", "--channel", "x-city", "--text", "お知らせ",
        expect=2,
    )  # fmt: skip
    assert f"{policy}:3: [policy] year_end_closure" in refused.stderr
    assert "unexpected error" not in refused.stderr


def test_doctor_warns_about_plain_http_and_postgresql_without_tls(cli: Cli) -> None:
    cli.setup_office()
    report = cli.run(
        "doctor",
        expect=1,  # the channels have no credentials: those are failures, the rest warnings
        KODAIRA_X_API_BASE="http://api.example.jp",
        KODAIRA_GOOGLE_TOKEN_URL="http://oauth2.example.jp/token",
    ).stdout
    assert "WARN endpoint x: http://api.example.jp is not HTTPS" in report
    assert "WARN endpoint google_token" in report
    assert "endpoint line" not in report  # the fakes' http://127.0.0.1 is a local test server
    if cli.database_url.startswith("postgresql"):
        assert "WARN database TLS: sslmode=prefer" in report
        assert "WARN database TLS: the connection to PostgreSQL is not encrypted" in report
        assert "sslmode=verify-full" in report
    else:
        assert "database TLS" not in report


def test_credentials_from_an_endless_stdin_are_refused_at_once(office: Cli) -> None:
    import subprocess
    import sys

    secret = office.home / "password-kacho.txt"
    secret.write_text("kacho-password-1\n", encoding="utf-8")
    command = [sys.executable, "-m", "kodaira_desktop", "--user", "kacho"]
    with open("/dev/zero", "rb") as endless:
        result = subprocess.run(
            [*command, "--password-file", str(secret), "credentials", "set", "line"],
            stdin=endless,
            capture_output=True,
            text=True,
            env=office.env(),
            timeout=FAST,
        )
    assert result.returncode == 2
    assert "stdin is too large" in result.stderr
