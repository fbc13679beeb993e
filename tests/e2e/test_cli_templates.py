"""定型文 from the command line: shared ones kept by chiefs, placeholders filled per post."""

from __future__ import annotations

from tests.e2e.harness import CHIEF, CHIEF_PASSWORD, Cli

CLINIC = "{日付}（{曜日}）{時刻}から、休日診療を行います。"


def test_a_shared_template_fills_each_repeat_with_its_own_date(cli: Cli) -> None:
    cli.setup_office()
    refused = cli.run("templates", "save", "休日診療", "--text", CLINIC, expect=2)
    assert "課長だけ" in refused.stderr
    cli.run(
        "templates",
        "save",
        "休日診療",
        "--text",
        CLINIC,
        "--channel",
        "x-city",
        "--category",
        "健康・福祉",
        user=CHIEF,
        password=CHIEF_PASSWORD,
    )
    cli.run("templates", "save", "メモ", "--text", "自分用 {日付}", "--personal")
    listing = cli.run("templates", "list").stdout.splitlines()
    assert listing[0].startswith("メモ\tpersonal\t-\t-\t自分用")
    assert listing[1].startswith("休日診療\tshared\tx-city\t健康・福祉\t{日付}")
    assert "メモ" not in cli.run("templates", "list", user=CHIEF).stdout

    added = cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--template",
        "休日診療",
        "--at",
        "2027-04-26T09:00:00+09:00",
        "--repeat",
        "FREQ=WEEKLY;BYDAY=MO",
        "--until",
        "2027-05-10",
    )
    assert len(added.stdout.split()) == 3
    texts = [row["text"] for row in cli.entries()]
    assert texts == [
        "4月26日（月）09:00から、休日診療を行います。",
        "5月6日（木）09:00から、休日診療を行います。",  # moved off 憲法記念日: its own date
        "5月10日（月）09:00から、休日診療を行います。",
    ]

    missing = cli.run("queue", "add", "--channel", "x-city", "--template", "ない", expect=2)
    assert "ない" in missing.stderr
    cli.run("templates", "remove", "休日診療", expect=2)
    cli.run("templates", "remove", "休日診療", user=CHIEF, password=CHIEF_PASSWORD)
    cli.run("templates", "remove", "メモ", "--personal")
    assert cli.run("templates", "list").stdout == ""
