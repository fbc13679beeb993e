"""「監査ログ」: the hash-chained audit trail, filtered, checked for tampering, exported.

The table is paged from the database (filters and counts in SQL, only the rows on screen
fetched); the tamper check and the export read every matching row. All of it runs on the
TaskRunner. The CSV is
written in UTF-8 with a byte-order mark so that Excel opens the Japanese text correctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.entry_query import AuditWhere
from kodaira_desktop.domain.records import AuditRow
from kodaira_desktop.security.audit_chain import ChainVerdict
from kodaira_desktop.services import audit, queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.audit_model import (
    ACTION_FILTERS,
    COLUMN_DETAILS,
    AuditTableModel,
)
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR, OK_COLOUR
from kodaira_desktop.ui.policy_calendar import from_qdate
from kodaira_desktop.ui.record_model import PAGE_SIZE, record_table_view
from kodaira_desktop.ui.workers import TaskRunner

CSV_FILTER = "CSV ファイル (*.csv)"


@dataclass(frozen=True)
class AuditFilter:
    action_prefix: str | None = None
    actor: str | None = None
    first_day: date | None = None
    last_day: date | None = None


def audit_where(ctx: AppContext, chosen: AuditFilter) -> AuditWhere:
    """The filter as the database takes it; days are Japan days, both ends included."""
    zone = ctx.policy.zone
    start = end = None
    if chosen.first_day is not None:
        start = datetime.combine(chosen.first_day, time(0), zone)
    if chosen.last_day is not None:
        end = datetime.combine(chosen.last_day + timedelta(days=1), time(0), zone)
    return AuditWhere(chosen.action_prefix, chosen.actor, start, end)


def load_rows(ctx: AppContext, chosen: AuditFilter) -> list[AuditRow]:
    """Worker body: every row matching the filter (for the export)."""
    return queries.audit_page(ctx, audit_where(ctx, chosen))


def write_csv(path: Path, rows: list[AuditRow]) -> None:
    path.write_text(audit.export_csv(rows), encoding="utf-8-sig", newline="")


class AuditView(QWidget):
    loaded = Signal(int)  # rows shown
    verified = Signal(object)  # ChainVerdict
    exported = Signal(str)  # the file written

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.model = AuditTableModel(ctx.policy, self)
        self.model.pageWanted.connect(self._fetch_page)
        self._where = AuditWhere()
        self.last_verdict: ChainVerdict | None = None
        self._build()

    def _build(self) -> None:
        self.action_filter = QComboBox()
        for label, prefix in ACTION_FILTERS:
            self.action_filter.addItem(label, prefix)
        self.action_filter.setAccessibleName("操作の種類で絞り込み")
        self.actor_filter = QLineEdit()
        self.actor_filter.setAccessibleName("操作者で絞り込み")
        self.actor_filter.setPlaceholderText("操作者（ログイン名）")
        self.actor_filter.setClearButtonEnabled(True)
        self.actor_filter.setMinimumWidth(200)
        self.date_filter = QCheckBox("期間：")
        today = self.ctx.policy.localize(self.ctx.clock.now()).date()
        self.first_day = QDateEdit(QDate(today.year, today.month, 1))
        self.last_day = QDateEdit(QDate(today.year, today.month, today.day))
        self.first_day.setAccessibleName("期間の初日")
        self.last_day.setAccessibleName("期間の最終日")
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self.reload)
        self.date_filter.toggled.connect(self.first_day.setEnabled)
        self.date_filter.toggled.connect(self.last_day.setEnabled)
        self.date_filter.toggled.connect(self.reload)
        self.action_filter.currentIndexChanged.connect(self.reload)
        self.actor_filter.editingFinished.connect(self.reload)
        self.count_label = QLabel()

        self.verify_button = QPushButton("改ざん検査")
        self.verify_button.setToolTip("監査ログの連鎖（ハッシュ）を最初から検査します。")
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton("CSV出力…")
        self.export_button.setToolTip("表示中の行を CSV（Excel 用 UTF-8）で保存します。")
        self.export_button.clicked.connect(self.export)
        self.verdict_label = QLabel("改ざん検査は未実施です。")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setStyleSheet(f"color: {MUTED_COLOUR};")

        self.view = record_table_view(
            self.model, COLUMN_DETAILS, dict(enumerate((60, 150, 130, 170, 120)))
        )
        self.view.setAccessibleName("監査ログの一覧")

        filters = QHBoxLayout()
        filters.addWidget(QLabel("絞り込み："))
        filters.addWidget(self.action_filter)
        filters.addWidget(self.actor_filter)
        filters.addWidget(self.date_filter)
        filters.addWidget(self.first_day)
        filters.addWidget(QLabel("〜"))
        filters.addWidget(self.last_day)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.addWidget(self.verify_button)
        actions.addWidget(self.verdict_label, 1)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)

    # -- loading ---------------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        on = self.date_filter.isChecked()
        return AuditFilter(
            action_prefix=self.action_filter.currentData(),
            actor=self.actor_filter.text().strip() or None,
            first_day=from_qdate(self.first_day.date()) if on else None,
            last_day=from_qdate(self.last_day.date()) if on else None,
        )

    def reload(self) -> None:
        """Count and fetch the first page on a worker; further pages as they come into view."""
        ctx, where = self.ctx, audit_where(self.ctx, self.current_filter())
        generation = self.model.begin_query()
        self._where = where
        self.count_label.setText("読み込み中…")

        def work() -> tuple[int, list[AuditRow]]:
            return queries.audit_count(ctx, where), queries.audit_page(ctx, where, 0, PAGE_SIZE)

        def done(result: tuple[int, list[AuditRow]]) -> None:
            total, first = result
            if self.model.show_result(generation, total, first):
                self.count_label.setText(f"{total:,} 件")
                self.loaded.emit(total)

        self.runner.start(work, done, self._load_failed)

    def _fetch_page(self, generation: int, page: int) -> None:
        ctx, where = self.ctx, self._where
        self.runner.start(
            lambda: queries.audit_page(ctx, where, page * PAGE_SIZE, PAGE_SIZE),
            lambda rows: self.model.add_page(generation, page, rows),
            self._load_failed,
        )

    def _load_failed(self, message: str) -> None:
        self.count_label.setText(f"読み込めませんでした：{message}")
        self.loaded.emit(0)

    # -- checking --------------------------------------------------------------------------

    def verify(self) -> None:
        ctx = self.ctx
        self.verify_button.setEnabled(False)
        self.verdict_label.setText("検査しています…")
        self.runner.start(lambda: audit.verify(ctx), self._show_verdict, self._verify_failed)

    def _show_verdict(self, verdict: ChainVerdict) -> None:
        self.verify_button.setEnabled(True)
        self.last_verdict = verdict
        if verdict.ok:
            self.verdict_label.setText(
                f"✓ 改ざんは見つかりませんでした（{verdict.checked:,} 件を検査）。"
            )
            self.verdict_label.setStyleSheet(f"color: {OK_COLOUR}; font-weight: bold;")
            self.model.set_broken_seq(None)
        else:
            self.verdict_label.setText(
                f"⚠ 改ざんの疑い：番号 {verdict.first_broken_seq} 以降の記録が正しくありません。"
                f"\n{verdict.message}"
            )
            self.verdict_label.setStyleSheet(
                f"color: white; background: {ERROR_COLOUR}; font-weight: bold; padding: 4px;"
            )
            self.model.set_broken_seq(verdict.first_broken_seq)
        self.verified.emit(verdict)

    def _verify_failed(self, message: str) -> None:
        self.verify_button.setEnabled(True)
        self.verdict_label.setText(f"検査できませんでした：{message}")
        self.verdict_label.setStyleSheet(f"color: {ERROR_COLOUR};")

    # -- exporting -------------------------------------------------------------------------

    def export(self) -> Path | None:
        today = self.ctx.policy.localize(self.ctx.clock.now())
        path = prompts.choose_save_path(
            self, "監査ログをCSVで保存", f"監査ログ_{today:%Y%m%d}.csv", CSV_FILTER
        )
        if path is None:
            return None
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        ctx, chosen = self.ctx, self.current_filter()

        def work() -> int:
            rows = load_rows(ctx, chosen)  # every matching row, not only those fetched
            write_csv(path, rows)
            return len(rows)

        def done(count: int) -> None:
            self.count_label.setText(f"{count:,} 件を書き出しました：{path.name}")
            self.exported.emit(str(path))

        def failed(message: str) -> None:
            prompts.show_error(self, "CSV出力", f"保存できませんでした：{message}")

        self.runner.start(work, done, failed)
        return path
