"""Repeating posts from the command line: `queue add --repeat`, `queue cancel --series`."""

from __future__ import annotations

from tests.e2e.harness import Cli


def add_repeat(cli: Cli, *extra: str, expect: int = 0) -> tuple[list[int], list[str]]:
    result = cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--channel",
        "line",
        "--text",
        "休日診療のお知らせ",
        *extra,
        expect=expect,
    )
    return [int(line) for line in result.stdout.split()], result.stderr.splitlines()


def test_weekly_across_golden_week_2027_moves_the_holiday(cli: Cli) -> None:
    cli.setup_office()
    ids, stderr = add_repeat(
        cli,
        "--at",
        "2027-04-26T09:00:00+09:00",
        "--repeat",
        "FREQ=WEEKLY;BYDAY=MO",
        "--until",
        "2027-05-17",
    )
    assert len(ids) == 4
    assert ids == sorted(ids)
    times = {r["item_id"]: r["scheduled_at"] for r in cli.entries()}
    assert [times[i] for i in ids] == [
        "2027-04-26T09:00:00+09:00",
        "2027-05-06T09:00:00+09:00",
        "2027-05-10T09:00:00+09:00",
        "2027-05-17T09:00:00+09:00",
    ]
    assert (
        "moved 2027-05-03T09:00:00+09:00 -> 2027-05-06T09:00:00+09:00: 祝日（憲法記念日）" in stderr
    )
    assert len(cli.entries()) == 8  # two channels each


def test_skip_leaves_the_closed_days_out(cli: Cli) -> None:
    cli.setup_office()
    ids, stderr = add_repeat(
        cli,
        "--at",
        "2026-12-16T10:00:00+09:00",
        "--repeat",
        "FREQ=WEEKLY;BYDAY=WE;COUNT=4",
        "--on-closed",
        "skip",
    )
    times = {r["item_id"]: r["scheduled_at"] for r in cli.entries()}
    assert [times[i] for i in ids] == [
        "2026-12-16T10:00:00+09:00",
        "2026-12-23T10:00:00+09:00",
        "2027-01-06T10:00:00+09:00",
    ]
    assert "skipped 2026-12-30T10:00:00+09:00: 年末年始" in stderr


def test_across_the_year_end_closure_then_cancel_this_and_later(cli: Cli) -> None:
    cli.setup_office()
    ids, stderr = add_repeat(
        cli, "--at", "2026-12-16T10:00:00+09:00", "--repeat", "FREQ=WEEKLY;BYDAY=WE;COUNT=4"
    )
    times = {r["item_id"]: r["scheduled_at"] for r in cli.entries()}
    assert [times[i] for i in ids] == [
        "2026-12-16T10:00:00+09:00",
        "2026-12-23T10:00:00+09:00",
        "2027-01-04T10:00:00+09:00",
        "2027-01-06T10:00:00+09:00",
    ]
    assert "moved 2026-12-30T10:00:00+09:00 -> 2027-01-04T10:00:00+09:00: 年末年始" in stderr

    cancelled = cli.run("queue", "cancel", str(ids[1]), "--series")
    assert [int(i) for i in cancelled.stdout.split()] == ids[1:]
    states = {(r["item_id"], r["state"]) for r in cli.entries()}
    assert states == {(ids[0], "scheduled")} | {(i, "cancelled") for i in ids[1:]}

    single = cli.run("queue", "add", "--channel", "line", "--text", "一回だけ")
    refused = cli.run("queue", "cancel", single.stdout.strip(), "--series", expect=2)
    assert "not part of a series" in refused.stderr


def test_a_refused_occurrence_refuses_the_whole_series(cli: Cli) -> None:
    cli.setup_office()
    # 17:30 is after hours on every day: the first open occurrence is refused with the reason.
    _, stderr = add_repeat(
        cli,
        "--at",
        "2026-12-01T17:30:00+09:00",
        "--repeat",
        "FREQ=WEEKLY;COUNT=3",
        expect=2,
    )
    assert "2026-12-01 17:30" in stderr[-1]
    _, stderr = add_repeat(
        cli, "--at", "2026-12-01T10:00:00+09:00", "--repeat", "FREQ=SOMETIMES", expect=2
    )
    assert "FREQ=SOMETIMES" in stderr[-1]
    _, stderr = add_repeat(
        cli, "--at", "2026-12-01T10:00:00+09:00", "--repeat", "FREQ=DAILY", expect=2
    )
    assert "--until" in stderr[-1]
    _, stderr = add_repeat(cli, "--repeat", "FREQ=DAILY;COUNT=2", expect=2)
    assert "--at" in stderr[-1]
    assert cli.entries() == []
