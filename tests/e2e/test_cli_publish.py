"""Publishing end to end through the command line, against the service fakes over TCP."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.harness import CHIEF, MORNING, Cli
from tests.fakes import FakeServices
from tests.samples import mp4_bytes, png_bytes

ALL_CHANNELS = ("x-city", "x-mayor", "line", "facebook", "youtube")


def configure(cli: Cli, services: FakeServices) -> None:
    cli.setup_office()
    for channel in ALL_CHANNELS:
        cli.set_credentials(channel, services.credentials[channel])


def test_one_item_to_all_five_channels_is_published_once_each(
    cli: Cli, services: FakeServices
) -> None:
    configure(cli, services)
    photo = cli.home / "festival.png"
    photo.write_bytes(png_bytes(40, 30))
    video = cli.home / "festival.mp4"
    video.write_bytes(mp4_bytes(payload_size=300_000))
    args = [arg for channel in ALL_CHANNELS for arg in ("--channel", channel)]
    cli.run(
        "queue",
        "add",
        *args,
        "--text",
        "小平市民まつりを開催します。https://www.city.kodaira.tokyo.jp/",
        "--title",
        "小平市民まつり",
        "--at",
        MORNING,
        "--media",
        str(photo),
        str(video),
    )
    photo.unlink()  # the queue keeps its own copy
    video.unlink()

    result = cli.run("dispatch", "--once")
    assert "published 5" in result.stdout

    rows = {row["channel"]: row for row in cli.entries()}
    assert {row["state"] for row in rows.values()} == {"published"}
    for row in rows.values():
        assert row["remote_id"]
        assert row["remote_url"].startswith("https://")
        assert row["last_error"] is None
    assert len(services.x.tweets) == 2  # the city's and the mayor's office accounts
    assert len(services.line.broadcasts) == 1
    assert len(services.facebook.posts) + len(services.facebook.photos) >= 1
    assert len(services.facebook.requests_to(r"/(feed|photos)$", "POST")) == 1
    assert len(services.youtube.videos) == 1
    assert rows["youtube"]["remote_url"].endswith(rows["youtube"]["remote_id"])

    again = cli.run("dispatch", "--once")
    assert "published 0" in again.stdout
    assert len(services.x.tweets) == 2
    assert len(services.line.broadcasts) == 1
    assert cli.run("audit", "verify").returncode == 0


def test_x_timeout_after_arrival_is_unknown_and_never_resent(
    cli: Cli, services: FakeServices
) -> None:
    configure(cli, services)
    cli.run("queue", "add", "--channel", "x-city", "--text", "台風の情報", "--at", MORNING)
    services.x.drop_after_receiving(r"/2/tweets$", method="POST")
    cli.run("dispatch", "--once")
    (row,) = cli.entries()
    assert row["state"] == "unknown"
    assert "確認" in row["last_error"]
    assert len(services.x.tweets) == 1  # it did arrive

    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW="2026-11-25T11:00:00+09:00")
    assert cli.entries()[0]["state"] == "unknown"
    assert len(services.x.requests_to(r"/2/tweets$", "POST")) == 1

    cli.run(
        "queue",
        "mark",
        str(row["id"]),
        "--as",
        "published",
        "--url",
        "https://x.com/i/web/status/1",
    )
    assert cli.entries()[0]["state"] == "published"


def test_a_due_entry_after_hours_is_held_not_sent(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.run(
        "queue",
        "add",
        "--channel",
        "line",
        "--text",
        "夕方のお知らせ",
        "--at",
        "2026-11-25T17:00:00+09:00",
    )
    # No dispatcher ran until 17:30: too late to publish without the chief's override.
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW="2026-11-25T17:30:00+09:00")
    (row,) = cli.entries()
    assert row["state"] == "held"
    assert "保留" in row["last_error"]
    assert services.line.broadcasts == []
    assert services.line.requests_to("broadcast") == []


def test_line_500_then_success_reuses_the_retry_key(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.run("queue", "add", "--channel", "line", "--text", "お知らせ", "--at", MORNING)
    services.line.fail_next(r"/broadcast$", 500)
    cli.run("dispatch", "--once")
    assert cli.entries()[0]["state"] == "retry_wait"
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW="2026-11-25T11:00:00+09:00")
    assert cli.entries()[0]["state"] == "published"
    keys = [r.header("X-Line-Retry-Key") for r in services.line.requests_to(r"/broadcast$")]
    assert len(keys) == 2
    assert keys[0] == keys[1]
    assert len(services.line.broadcasts) == 1


@pytest.mark.slow
def test_two_dispatcher_processes_never_post_twice(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    services.line.monthly_limit = None  # 12 broadcasts exceed the free plan's monthly quota
    for n in range(12):
        cli.run(
            "queue",
            "add",
            "--channel",
            "line",
            "--channel",
            "x-city",
            "--text",
            f"お知らせ {n}",
            "--at",
            MORNING,
        )
    command = [sys.executable, "-m", "kodaira_desktop", "--user", "tanaka", "dispatch", "--once"]
    runs = [
        subprocess.Popen(
            command, env=cli.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    rows = cli.entries()
    assert {row["state"] for row in rows} == {"published"}
    texts = sorted(b.messages[0]["text"] for b in services.line.broadcasts)
    assert texts == sorted(f"お知らせ {n}" for n in range(12))
    assert len(services.x.tweets) == 12
    assert len({t.text for t in services.x.tweets}) == 12


def test_credentials_check_against_the_service(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    ok = cli.run("credentials", "check", "line", user=CHIEF)
    assert "OK" in ok.stdout
    cli.set_credentials(
        "facebook", {**services.credentials["facebook"], "page_access_token": "wrong"}
    )
    bad = cli.run("credentials", "check", "facebook", user=CHIEF, expect=1)
    assert "wrong" not in bad.stderr


def test_credentials_are_only_in_the_keyring(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.run("queue", "add", "--channel", "line", "--text", "お知らせ", "--at", MORNING)
    cli.run("dispatch", "--once")
    secret = services.credentials["line"]["channel_access_token"]
    keyring_dir = cli.home / "keyring"
    checked = 0
    for path in cli.home.rglob("*"):
        if path.is_file() and keyring_dir not in path.parents:
            assert secret.encode() not in path.read_bytes(), path
            checked += 1
    assert checked >= 2  # the log, the trust root, and the database file on SQLite
