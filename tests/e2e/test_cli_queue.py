"""The shared queue through the command line (CONTRACTS.md §4), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from tests.e2e.harness import CHIEF, CHIEF_PASSWORD, STAFF, Cli


def test_init_users_and_queue(cli: Cli) -> None:
    first = cli.run("init", "--chief", CHIEF, user=CHIEF, password=CHIEF_PASSWORD)
    assert "chief kacho created" in first.stdout
    again = cli.run("init", "--chief", CHIEF, user=CHIEF, password=CHIEF_PASSWORD)
    assert "up to date" in again.stdout
    cli.run(
        "users",
        "add",
        STAFF,
        "--role",
        "staff",
        "--channels",
        "x-city,line",
        user=CHIEF,
        password=CHIEF_PASSWORD,
    )
    listing = cli.run("users", "list").stdout
    assert f"{STAFF}\tstaff\tline,x-city" in listing
    assert f"{CHIEF}\tchief" in listing

    item = cli.run("queue", "add", "--channel", "x-city", "--channel", "line", "--text", "お知らせ")
    item_id = int(item.stdout.strip())
    rows = cli.entries()
    assert [(r["item_id"], r["channel"], r["state"]) for r in rows] == [
        (item_id, "x-city", "scheduled"),
        (item_id, "line", "scheduled"),
    ]
    for row in rows:
        assert {"id", "remote_id", "remote_url", "last_error"} <= row.keys()
        assert datetime.fromisoformat(row["scheduled_at"]).utcoffset() is not None
    # Without --at: the next allowed instant, here "now" on a Wednesday morning. (Each CLI
    # process's fake clock starts at its own start-up, so "now" is a few seconds after 10:00.)
    scheduled = datetime.fromisoformat(rows[0]["scheduled_at"])
    morning = datetime.fromisoformat("2026-11-25T10:00:00+09:00")
    assert morning <= scheduled < morning + timedelta(seconds=15)
    assert rows[0]["scheduled_at"].endswith("+09:00")


def test_without_at_outside_hours_takes_the_next_allowed_instant(cli: Cli) -> None:
    cli.setup_office()
    cli.run(
        "queue",
        "add",
        "--channel",
        "line",
        "--text",
        "週末",
        KODAIRA_FAKE_NOW="2026-11-27T18:00:00+09:00",
    )
    assert cli.entries()[0]["scheduled_at"] == "2026-11-30T08:30:00+09:00"


def test_a_forbidden_time_is_refused_with_the_next_allowed_instant(cli: Cli) -> None:
    cli.setup_office()
    refused = cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--text",
        "夜",
        "--at",
        "2026-11-25T17:16:00+09:00",
        expect=2,
    )
    assert "after_hours" in refused.stderr
    assert "2026-11-26T08:30:00+09:00" in refused.stderr
    holiday = cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--text",
        "祝日",
        "--at",
        "2026-12-30T10:00:00+09:00",
        expect=2,
    )
    assert "year_end" in holiday.stderr
    assert "2027-01-04T08:30:00+09:00" in holiday.stderr
    assert cli.entries() == []


def test_staff_cannot_queue_to_channels_they_are_not_designated_for(cli: Cli) -> None:
    cli.setup_office(channels="line")
    refused = cli.run("queue", "add", "--channel", "facebook", "--text", "x", expect=2)
    assert "担当者に指定されていません" in refused.stderr
    assert cli.entries() == []


def test_bad_input_gets_one_clear_sentence(cli: Cli) -> None:
    cli.setup_office()
    too_long = cli.run("queue", "add", "--channel", "x-city", "--text", "あ" * 141, expect=2)
    assert "282" in too_long.stderr or "280" in too_long.stderr
    missing = cli.run(
        "queue",
        "add",
        "--channel",
        "youtube",
        "--text",
        "d",
        "--title",
        "t",
        "--media",
        str(cli.home / "absent.mp4"),
        expect=2,
    )
    assert "absent.mp4" in missing.stderr
    corrupt = cli.home / "broken.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    bad_image = cli.run(
        "queue", "add", "--channel", "x-city", "--text", "写真", "--media", str(corrupt), expect=2
    )
    assert "broken.png" in bad_image.stderr
    naive = cli.run(
        "queue", "add", "--channel", "line", "--text", "x", "--at", "2026-11-26T10:00", expect=2
    )
    assert "offset" in naive.stderr
    unknown = cli.run("queue", "add", "--channel", "tiktok", "--text", "x", expect=2)
    assert "tiktok" in unknown.stderr
    for result in (too_long, missing, bad_image, naive, unknown):
        assert len(result.stderr.strip().splitlines()) == 1
    assert cli.entries() == []


def test_users_add_needs_the_chiefs_password(cli: Cli) -> None:
    cli.setup_office()
    wrong = cli.run(
        "users",
        "add",
        "suzuki",
        "--role",
        "staff",
        user=CHIEF,
        password="not-the-password",
        expect=1,
    )
    assert "wrong password" in wrong.stderr
    by_staff = cli.run(
        "users", "add", "suzuki", "--role", "staff", user=STAFF, password="x", expect=2
    )
    assert "not a chief" in by_staff.stderr
    assert "suzuki" not in cli.run("users", "list").stdout


def test_malformed_policy_file_is_refused(cli: Cli) -> None:
    policy = cli.home / "policy.toml"
    policy.write_text('[policy]\nstart = "8:3x"\n', encoding="utf-8")
    result = cli.run("--policy", str(policy), "users", "list", expect=2)
    assert "policy.toml:2" in result.stderr
    assert "start" in result.stderr


def test_json_list_is_one_array(cli: Cli) -> None:
    cli.setup_office()
    assert json.loads(cli.run("queue", "list", "--json").stdout) == []
