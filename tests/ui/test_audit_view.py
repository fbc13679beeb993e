"""「監査ログ」: the model, the filters, the CSV for Excel and the tamper check."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kodaira_desktop.services import approvals, audit
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.audit_model import COLUMN_ACTION, COLUMN_ACTOR, COLUMN_AT, COLUMN_SEQ
from kodaira_desktop.ui.audit_view import AuditView
from kodaira_desktop.ui.channel_style import ERROR_COLOUR
from kodaira_desktop.ui.record_model import PAGE_SIZE
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import CHIEF_PASSWORD
from tests.ui.emergency import chief_ctx, request_emergency, runner
from tests.ui.helpers import click

__all__ = ["chief_ctx", "runner"]


@pytest.fixture
def view(qtbot: QtBot, ctx: AppContext, chief_ctx: AppContext, runner: TaskRunner) -> AuditView:
    item_id = request_emergency(ctx)
    approvals.approve(chief_ctx, item_id, CHIEF_PASSWORD)
    audit_view = AuditView(ctx, runner)
    qtbot.addWidget(audit_view)
    with qtbot.waitSignal(audit_view.loaded, timeout=10_000):
        audit_view.reload()
    return audit_view


def actions(view: AuditView) -> list[str]:
    return [row.action for row in view.model.rows()]


def test_the_model_passes_qtmodeltester(qtmodeltester: object, view: AuditView) -> None:
    assert view.model.rowCount() > 3
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]


def test_rows_show_seq_japan_time_actor_and_action(view: AuditView) -> None:
    model = view.model
    last = model.rowCount() - 1
    assert model.data(model.index(0, COLUMN_SEQ)) == 1
    assert model.data(model.index(last, COLUMN_ACTION)) == "緊急投稿の承認"
    assert model.data(model.index(last, COLUMN_ACTOR)) == "chief"
    assert model.data(model.index(last, COLUMN_AT)) == "2026年11月25日（水）09:00:00"


def test_filters_by_action_actor_and_date(qtbot: QtBot, view: AuditView) -> None:
    everything = view.model.rowCount()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.action_filter.setCurrentIndex(view.action_filter.findText("緊急投稿"))
    assert actions(view) == ["override.requested", "override.approved"]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.actor_filter.setText("tanaka")
        view.actor_filter.editingFinished.emit()
    assert actions(view) == ["override.requested"]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.action_filter.setCurrentIndex(0)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.actor_filter.clear()
        view.actor_filter.editingFinished.emit()
    assert view.model.rowCount() == everything
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.date_filter.setChecked(True)  # 1–25 November: today's rows included
    assert view.model.rowCount() == everything
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.last_day.setDate(view.last_day.date().addDays(-1))  # up to the 24th
    assert view.model.rowCount() == 0


def test_export_writes_the_rows_as_csv_for_excel(
    qtbot: QtBot, view: AuditView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "監査ログ"
    asked: list[str] = []

    def choose(_parent: QWidget | None, title: str, suggested: str, _filter: str) -> Path:
        asked.append(suggested)
        return target

    monkeypatch.setattr(prompts, "choose_save_path", choose)
    with qtbot.waitSignal(view.exported) as done:
        click(qtbot, view.export_button)
    assert asked == ["監査ログ_20261125.csv"]
    written = Path(done.args[0])
    assert written.name == "監査ログ.csv"
    raw = written.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["seq", "at", "actor", "action", "target"]
    assert [r[3] for r in rows[1:]] == actions(view)
    assert "大雨による避難指示の周知" in raw.decode("utf-8-sig")


def test_the_tamper_check_passes_then_finds_the_broken_seq(
    qtbot: QtBot, view: AuditView, database_file: Path
) -> None:
    with qtbot.waitSignal(view.verified, timeout=10_000) as checked:
        click(qtbot, view.verify_button)
    assert checked.args[0].ok
    assert "改ざんは見つかりませんでした" in view.verdict_label.text()

    with sqlite3.connect(database_file) as db:  # someone edits the file behind our back
        db.execute("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")
    with qtbot.waitSignal(view.verified, timeout=10_000) as checked:
        click(qtbot, view.verify_button)
    verdict = checked.args[0]
    assert not verdict.ok
    assert verdict.first_broken_seq == 2
    assert "番号 2 以降" in view.verdict_label.text()
    assert ERROR_COLOUR in view.verdict_label.styleSheet()
    background = Qt.ItemDataRole.BackgroundRole
    assert view.model.data(view.model.index(1, 0), background) is not None  # seq 2 on
    assert view.model.data(view.model.index(0, 0), background) is None


def test_a_long_trail_is_counted_in_sql_and_fetched_page_by_page(
    qtbot: QtBot, ctx: AppContext, runner: TaskRunner
) -> None:
    for n in range(PAGE_SIZE + 50):
        audit.record(ctx, "item.created", f"item:{n}")
    audit_view = AuditView(ctx, runner)
    qtbot.addWidget(audit_view)
    audit_view.resize(900, 500)
    audit_view.show()
    with qtbot.waitSignal(audit_view.loaded, timeout=10_000) as loaded:
        audit_view.reload()
    total = loaded.args[0]
    assert total >= PAGE_SIZE + 50
    assert audit_view.model.rowCount() == total
    assert len(audit_view.model.rows()) == PAGE_SIZE  # only the first page so far
    audit_view.view.scrollToBottom()
    qtbot.waitUntil(lambda: len(audit_view.model.rows()) == total, timeout=10_000)
    last = audit_view.model.index(total - 1, COLUMN_SEQ)
    assert audit_view.model.data(last) == total
    with qtbot.waitSignal(audit_view.loaded, timeout=10_000):
        audit_view.actor_filter.setText("nobody")
        audit_view.actor_filter.editingFinished.emit()
    assert audit_view.model.rowCount() == 0
