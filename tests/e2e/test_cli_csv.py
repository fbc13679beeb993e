"""Planning a month in a spreadsheet: `queue import` and `queue export` (CONTRACTS.md §4)."""

from __future__ import annotations

import csv
import io

from tests.e2e.harness import Cli
from tests.samples import png_bytes

JAPANESE_PLAN = (
    "日時,媒体,本文,タイトル,添付,画像URL,分類\r\n"
    "2026/12/01 9:00,x-city、line,休日診療のお知らせ,,,,健康\r\n"
    '2026/12/02 10:30,x-city facebook,"市報のお知らせ\r\n二行目",,img/poster.png,,広報\r\n'
    "2026-12-03T08:30:00+09:00,line;facebook,三つ目,,,,\r\n"
)


def test_a_utf8_plan_with_a_bom_is_checked_then_imported(cli: Cli) -> None:
    cli.setup_office()
    (cli.home / "plan" / "img").mkdir(parents=True)
    (cli.home / "plan" / "img" / "poster.png").write_bytes(png_bytes(400, 300))
    plan = cli.home / "plan" / "12月.csv"
    plan.write_bytes(JAPANESE_PLAN.encode("utf-8-sig"))

    dry = cli.run("queue", "import", str(plan), "--dry-run")
    assert dry.stdout.splitlines() == [
        "2行目\tx-city;line\t2026-12-01T09:00:00+09:00\tOK",
        "3行目\tx-city;facebook\t2026-12-02T10:30:00+09:00\tOK",
        "5行目\tline;facebook\t2026-12-03T08:30:00+09:00\tOK",  # the quoted text took two lines
    ]
    assert cli.entries() == []

    imported = cli.run("queue", "import", str(plan))
    ids = [int(line) for line in imported.stdout.split()]
    assert len(ids) == 3
    rows = cli.entries()
    assert [(r["item_id"], r["channel"], r["scheduled_at"]) for r in rows] == [
        (ids[0], "x-city", "2026-12-01T09:00:00+09:00"),
        (ids[0], "line", "2026-12-01T09:00:00+09:00"),
        (ids[1], "x-city", "2026-12-02T10:30:00+09:00"),
        (ids[1], "facebook", "2026-12-02T10:30:00+09:00"),
        (ids[2], "line", "2026-12-03T08:30:00+09:00"),
        (ids[2], "facebook", "2026-12-03T08:30:00+09:00"),
    ]
    assert rows[2]["text"] == "市報のお知らせ\n二行目"


def test_a_shift_jis_plan_with_english_headers(cli: Cli) -> None:
    cli.setup_office()
    plan = cli.home / "plan.csv"
    content = "at,channels,text,category\r\n2026/12/4 13:05,x-mayor,市長の一日,市長\r\n"
    plan.write_bytes(content.encode("cp932"))
    imported = cli.run("queue", "import", str(plan))
    [row] = cli.entries()
    assert row["item_id"] == int(imported.stdout)
    assert (row["channel"], row["scheduled_at"], row["text"]) == (
        "x-mayor",
        "2026-12-04T13:05:00+09:00",
        "市長の一日",
    )


def test_refused_rows_are_each_reported_and_nothing_is_imported(cli: Cli) -> None:
    cli.setup_office(channels="x-city,line")
    plan = cli.home / "plan.csv"
    rows = [
        "日時,媒体,本文,添付",
        "2026/12/01 9:00,x-city,通る行,",  # 2: fine
        "2026/12/29 10:00,x-city,年末,",  # 3: year-end closure
        "2026/12/02 18:00,line,夜,",  # 4: after hours
        "2026/12/02 10:00,facebook,担当外,",  # 5: not designated
        "2026/12/02 10:00,tiktok,ない媒体,",  # 6: no such channel
        "2026/12/02 10:00,x-city," + "あ" * 141 + ",",  # 7: too long for X
        "2026/12/02 10:00,x-city,写真,missing.png",  # 8: no such file
        "12月2日,x-city,日付,",  # 9: unreadable date
        "",  # 10: blank, skipped
        "2026/12/03 10:00,line,通る,",  # 11: fine
    ]
    plan.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    for dry_run in (("--dry-run",), ()):
        refused = cli.run("queue", "import", str(plan), *dry_run, expect=2)
        assert refused.stdout == ""
        lines = refused.stderr.strip().splitlines()
        assert [line.split("行目: ")[0] for line in lines[:-1]] == [
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
            "9",
        ]
        assert "年末年始" in lines[0]
        assert "2027年1月4日（月）08:30" in lines[0]
        assert "2026年12月3日（木）08:30" in lines[1]
        assert "担当者に指定されていません" in lines[2]
        assert "tiktok" in lines[3]
        assert "280" in lines[4]
        assert "missing.png" in lines[5]
        assert "12月2日" in lines[6]
        assert "7 of 9 rows refused; nothing imported" in lines[-1]
    assert cli.entries() == []


def test_a_file_that_is_not_a_plan_is_refused_in_one_sentence(cli: Cli) -> None:
    cli.setup_office()
    wrong_column = cli.home / "wrong.csv"
    wrong_column.write_text("日時,媒体,本分\n2026/12/01 9:00,x-city,x\n", encoding="utf-8")
    result = cli.run("queue", "import", str(wrong_column), expect=2)
    assert "本分" in result.stderr
    binary = cli.home / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x00" * 10)
    result = cli.run("queue", "import", str(binary), expect=2)
    assert "Shift_JIS" in result.stderr
    missing = cli.run("queue", "import", str(cli.home / "absent.csv"), expect=2)
    assert "absent.csv" in missing.stderr
    for result in (missing,):
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_export_imports_again(cli: Cli) -> None:
    cli.setup_office()
    image = cli.home / "photo.png"
    image.write_bytes(png_bytes(200, 100))
    cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--channel",
        "facebook",
        "--text",
        '写真つき, カンマと"引用符"',
        "--media",
        str(image),
        "--category",
        "広報",
        "--at",
        "2026-12-07T09:00:00+09:00",
    )
    cli.run(
        "queue", "add", "--channel", "line", "--text", "別の日", "--at", "2026-12-14T10:00+09:00"
    )
    cancelled = cli.run(
        "queue", "add", "--channel", "line", "--text", "取消", "--at", "2026-12-08T10:00+09:00"
    )
    cli.run("queue", "cancel", cancelled.stdout.strip())
    out = cli.home / "export.csv"
    cli.run("queue", "export", "--output", str(out), "--from", "2026-12-01", "--to", "2026-12-31")
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0] == [
        "日時",
        "媒体",
        "本文",
        "タイトル",
        "添付",
        "画像URL",
        "分類",
        "代替テキスト",
        "状態",
        "公開URL",
    ]
    assert [row[:3] for row in table[1:]] == [
        ["2026/12/07 09:00", "x-city;facebook", '写真つき, カンマと"引用符"'],
        ["2026/12/14 10:00", "line", "別の日"],
    ]
    assert table[1][6] == "広報"
    assert table[1][8] == "scheduled"
    assert table[1][4].endswith(".png")
    checked = cli.run("queue", "import", str(out), "--dry-run")
    assert [line.split("\t")[-1] for line in checked.stdout.splitlines()] == ["OK", "OK"]
    only_the_14th = cli.run("queue", "export", "--from", "2026-12-10").stdout
    assert "別の日" in only_the_14th
    assert "写真つき" not in only_the_14th
