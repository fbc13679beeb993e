"""予約一覧 →「CSVから取り込み…」: the check shown row by row before anything is queued."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import csv_import_dialog, prompts
from kodaira_desktop.ui.main_window import MainWindow
from tests.ui.helpers import click

PLAN = (
    "日時,媒体,本文\r\n"
    "2026/12/01 9:00,x-city;line,休日診療のお知らせ\r\n"
    "2026/12/05 10:00,line,土曜日\r\n"
    "2026/12/02 10:00,facebook,市報\r\n"
)


def open_dialog(
    qtbot: QtBot, window: MainWindow, path: Path, monkeypatch: pytest.MonkeyPatch
) -> csv_import_dialog.CsvImportDialog:
    monkeypatch.setattr(csv_import_dialog, "choose_csv_to_open", lambda parent: path)
    actions = window.table.csv_actions
    click(qtbot, actions.import_button)
    dialog = actions.dialog
    assert dialog is not None
    qtbot.waitUntil(
        lambda: dialog.check_result is not None or "読めません" in dialog.summary.text()
    )
    return dialog


def test_a_refused_row_is_shown_and_nothing_can_be_imported(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_bytes(PLAN.encode("cp932"))
    dialog = open_dialog(qtbot, window, plan, monkeypatch)
    verdicts = dialog.verdicts()
    assert [(row, verdict) for row, verdict, _ in verdicts] == [
        ("2", "OK"),
        ("3", "受け付けられません"),
        ("4", "OK"),
    ]
    assert "土日" in verdicts[1][2]
    assert "2026年12月7日（月）08:30" in verdicts[1][2]
    assert dialog.cell_text(0, csv_import_dialog.COLUMN_CHANNELS) == "x-city、line"
    assert dialog.cell_text(0, csv_import_dialog.COLUMN_TIME) == "2026-12-01 09:00"
    assert not dialog.import_button.isEnabled()
    assert "3 行のうち 1 行" in dialog.summary.text()
    dialog.reject()
    assert ctx.store.list_entries() == []


def test_every_row_passing_is_imported_on_accept(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(PLAN.replace("2026/12/05 10:00", "2026/12/04 10:00"), encoding="utf-8-sig")
    dialog = open_dialog(qtbot, window, plan, monkeypatch)
    assert [v for _, v, _ in dialog.verdicts()] == ["OK", "OK", "OK"]
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(window.queueRefreshed, timeout=5000):
        click(qtbot, dialog.import_button)
    entries = ctx.store.list_entries()
    assert len({e.item_id for e in entries}) == 3
    assert {e.state for e in entries} == {EntryState.SCHEDULED}
    qtbot.waitUntil(lambda: window.table.model.rowCount() == 4)


def test_an_unreadable_file_is_said_in_one_sentence(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("日時,媒体,本分\n", encoding="utf-8")
    dialog = open_dialog(qtbot, window, plan, monkeypatch)
    assert "本分" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_export_writes_the_coming_items(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compose.submit(ctx, compose.ComposeRequest(text="書き出す投稿", channels=("x-city",)))
    target = tmp_path / "out.csv"
    monkeypatch.setattr(prompts, "choose_save_path", lambda *args: target)
    actions = window.table.csv_actions
    with qtbot.waitSignal(actions.exported, timeout=5000) as signal:
        click(qtbot, actions.export_button)
    assert signal.args == [target, 1]
    table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    assert table[1][1:3] == ["x-city", "書き出す投稿"]
