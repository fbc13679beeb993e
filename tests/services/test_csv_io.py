"""CSV plans through the use-cases the GUI calls: parsing, checking, all-or-nothing import."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose, csv_io
from kodaira_desktop.services.context import AppContext, ServiceError
from tests.office import JST
from tests.samples import png_bytes


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2027/04/05 9:00", datetime(2027, 4, 5, 9, 0, tzinfo=JST)),
        ("2027/4/5 09:00:30", datetime(2027, 4, 5, 9, 0, 30, tzinfo=JST)),
        (" 2027-04-05 09:00 ", datetime(2027, 4, 5, 9, 0, tzinfo=JST)),
        ("2027-04-05T00:30:00+00:00", datetime(2027, 4, 5, 9, 30, tzinfo=JST)),
    ],
)
def test_dates_as_excel_and_iso_write_them(cell: str, expected: datetime) -> None:
    assert csv_io.parse_when(cell, JST) == expected


@pytest.mark.parametrize("cell", ["2027/04/05", "2027-04-05", "4月5日 9:00", "2027/13/01 9:00"])
def test_dates_without_a_time_or_malformed_are_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="読めません"):
        csv_io.parse_when(cell, JST)


def test_channels_are_separated_by_semicolons_commas_or_spaces() -> None:
    assert csv_io.split_channels(" x-city;line、facebook　youtube x-city ") == (
        "x-city",
        "line",
        "facebook",
        "youtube",
    )


def test_encodings() -> None:
    text = "日時,媒体,本文\r\n"
    assert csv_io.decode(text.encode("utf-8")) == text
    assert csv_io.decode(text.encode("utf-8-sig")) == text
    assert csv_io.decode(text.encode("cp932")) == text
    assert csv_io.decode("髙橋①".encode("cp932")) == "髙橋①"  # CP932's own characters


def test_a_row_refused_at_submit_undoes_the_rows_already_queued(
    office: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = "日時,媒体,本文\n2026/12/01 9:00,x-city,一\n2026/12/02 9:00,line,二\n"
    checked = csv_io.check_text(office, content, tmp_path)
    assert checked.ok
    real_submit = compose.submit
    calls: list[int] = []

    def submit_then_refuse(ctx: AppContext, request: compose.ComposeRequest) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise ServiceError("チャンネル「line」は停止中です", invalid=True)
        return real_submit(ctx, request)

    monkeypatch.setattr(compose, "submit", submit_then_refuse)
    with pytest.raises(ServiceError, match="3行目"):
        csv_io.import_checked(office, checked)
    assert {e.state for e in office.store.list_entries()} == {EntryState.CANCELLED}


def test_alt_texts_from_the_csv_are_kept_and_exported(office: AppContext, tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png_bytes(20, 10))
    (tmp_path / "b.png").write_bytes(png_bytes(10, 20))
    content = (
        "日時,媒体,本文,添付,代替テキスト\n"
        "2026/12/01 9:00,x-city,写真,a.png;b.png,;ステージの写真\n"
    )
    checked = csv_io.check_text(office, content, tmp_path)
    assert checked.ok
    [item_id] = csv_io.import_checked(office, checked)
    media = compose.get_item(office, item_id).media
    assert [m.alt_text for m in media] == [None, "ステージの写真"]
    [row] = csv_io.export_rows(office, None, None)
    assert row[list(csv_io.COLUMNS).index("alt_text")] == ";ステージの写真"


def test_a_row_with_more_cells_than_the_header_is_refused(
    office: AppContext, tmp_path: Path
) -> None:
    content = (
        "日時,媒体,本文\n2026/12/01 9:00,x-city,本文の途中に, カンマ\n2026/12/02 9:00,x-city,ok,\n"
    )
    rows = csv_io.check_text(office, content, tmp_path).rows
    assert [row.ok for row in rows] == [False, True]  # an empty trailing cell is harmless
    assert "列が多い" in rows[0].reason()


def test_per_channel_texts_are_exported_and_imported_back(
    office: AppContext, tmp_path: Path
) -> None:
    content = (
        "日時,媒体,本文,本文_x-city,text_facebook\n"
        "2026/12/01 9:00,x-city;facebook;line,共通の本文,Xだけの短い本文,\n"
        "2026/12/02 9:00,facebook,共通,,Facebook の本文\n"
    )
    checked = csv_io.check_text(office, content, tmp_path)
    assert checked.ok, [r.reason() for r in checked.rows]
    first, _second = csv_io.import_checked(office, checked)
    texts = {e.channel_key: e.text for e in compose.get_item(office, first).entries}
    assert texts == {"x-city": "Xだけの短い本文", "facebook": "共通の本文", "line": "共通の本文"}

    exported = csv_io.export_rows(office, None, None)
    assert exported.header[-2:] == ["本文_facebook", "本文_x-city"]
    assert [row[-2:] for row in exported] == [["", "Xだけの短い本文"], ["Facebook の本文", ""]]
    again = tmp_path / "again.csv"
    csv_io.write_atomically(again, csv_io.export_csv(exported))
    reread = csv_io.check_csv(office, again)
    assert reread.ok, [r.reason() for r in reread.rows]
    assert [r.request.overrides if r.request else None for r in reread.rows] == [
        {"x-city": "Xだけの短い本文"},
        {"facebook": "Facebook の本文"},
    ]


def test_a_channel_text_for_a_channel_not_in_the_row_is_refused(
    office: AppContext, tmp_path: Path
) -> None:
    content = "日時,媒体,本文,本文_line\n2026/12/01 9:00,x-city,共通,LINEの本文\n"
    [row] = csv_io.check_text(office, content, tmp_path).rows
    assert "列「本文_line」に本文がありますが、媒体に line がありません" in row.reason()
