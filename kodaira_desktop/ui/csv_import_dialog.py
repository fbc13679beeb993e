"""予約一覧 →「CSVから取り込み…」「CSVに書き出し…」.

The import shows every row as checked (row, channels, time, verdict, reason) before anything
is queued; 「取り込む」 is offered only when every row passes (all or nothing, as on the
command line). The checks and the import run on a worker thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.services import csv_io
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.workers import TaskRunner

COLUMNS = ("行", "媒体", "日時", "判定", "理由")
COLUMN_ROW, COLUMN_CHANNELS, COLUMN_TIME, COLUMN_VERDICT, COLUMN_REASON = range(5)
PASS, REFUSE = "OK", "受け付けられません"
CSV_FILTER = "CSV ファイル (*.csv);;すべてのファイル (*)"


def choose_csv_to_open(parent: QWidget | None) -> Path | None:
    """Which CSV to import (None when the user cancels); replaced in tests."""
    chosen, _ = QFileDialog.getOpenFileName(parent, "取り込むCSVファイル", "", CSV_FILTER)
    return Path(chosen) if chosen else None


class CsvImportDialog(QDialog):
    #: The check arrived (or failed); the table is filled.
    checked = Signal()
    #: The rows were queued: the new item ids.
    imported = Signal(list)

    def __init__(
        self, ctx: AppContext, runner: TaskRunner, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.path = path
        self.check_result: csv_io.ImportCheck | None = None
        self.setWindowTitle(f"CSVから取り込み — {path.name}")
        self.resize(900, 480)
        self.summary = QLabel("確認しています…")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("取り込む行の確認結果")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COLUMN_REASON, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COLUMN_ROW, 50), (COLUMN_CHANNELS, 170), (COLUMN_TIME, 150)):
            self.table.setColumnWidth(column, width)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "取り込む", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText("キャンセル")
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        ctx_, path_ = ctx, path
        runner.start(lambda: csv_io.check_csv(ctx_, path_), self._show_check, self._check_failed)

    # -- the check -------------------------------------------------------------------------

    def _show_check(self, result: csv_io.ImportCheck) -> None:
        self.check_result = result
        self.table.setRowCount(len(result.rows))
        for index, row in enumerate(result.rows):
            when = (
                f"{self.ctx.policy.localize(row.scheduled_at):%Y-%m-%d %H:%M}"
                if row.scheduled_at
                else ""
            )
            cells = (
                f"{row.line}",
                "、".join(row.channels),
                when,
                PASS if row.ok else REFUSE,
                row.reason(),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if not row.ok:
                    cell.setForeground(QColor("#b71c1c"))
                self.table.setItem(index, column, cell)
        refused = len(result.refused)
        if refused:
            self.summary.setText(
                f"{len(result.rows)} 行のうち {refused} 行が受け付けられません。"
                "CSVを直してから、もう一度取り込んでください（一部だけの取り込みはしません）。"
            )
        else:
            self.summary.setText(
                f"{len(result.rows)} 行すべて予約できます。「取り込む」で予約します。"
            )
        self.import_button.setEnabled(result.ok)
        self.checked.emit()

    def _check_failed(self, message: str) -> None:
        self.summary.setText(f"CSVを読めませんでした：{message}")
        self.summary.setStyleSheet("color: #b71c1c;")
        self.checked.emit()

    def verdicts(self) -> list[tuple[str, str, str]]:
        """(row, verdict, reason) as shown, for tests and screen readers."""
        columns = (COLUMN_ROW, COLUMN_VERDICT, COLUMN_REASON)
        return [
            (
                self.cell_text(r, columns[0]),
                self.cell_text(r, columns[1]),
                self.cell_text(r, columns[2]),
            )
            for r in range(self.table.rowCount())
        ]

    def cell_text(self, row: int, column: int) -> str:
        cell = self.table.item(row, column)
        return cell.text() if cell is not None else ""

    # -- the import ------------------------------------------------------------------------

    def start_import(self) -> None:
        if self.check_result is None or not self.check_result.ok:
            return
        self.import_button.setEnabled(False)
        self.summary.setText("予約しています…")
        ctx, result = self.ctx, self.check_result
        self.runner.start(
            lambda: csv_io.import_checked(ctx, result), self._on_imported, self._import_failed
        )

    def _on_imported(self, item_ids: list[int]) -> None:
        self.imported.emit(item_ids)
        self.accept()

    def _import_failed(self, message: str) -> None:
        self.summary.setText(f"取り込めませんでした（何も予約していません）：{message}")
        self.summary.setStyleSheet("color: #b71c1c;")


class CsvActions(QWidget):
    """The two buttons above the queue table."""

    #: Items were imported: the queue views should reload.
    imported = Signal(list)
    #: An export was written: (path, number of items).
    exported = Signal(object, int)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.dialog: CsvImportDialog | None = None
        self.import_button = QPushButton("CSVから取り込み…")
        self.import_button.setToolTip(
            "Excelなどで作った投稿計画（CSV）を取り込みます。取り込む前に全行を確認します。"
        )
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton("CSVに書き出し…")
        self.export_button.setToolTip("今日以降の予約をCSV（Excelで開ける形式）に書き出します。")
        self.export_button.clicked.connect(self.choose_export)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.import_button)
        layout.addWidget(self.export_button)

    def choose_import(self) -> CsvImportDialog | None:
        path = choose_csv_to_open(self)
        return self.open_import(path) if path else None

    def open_import(self, path: Path) -> CsvImportDialog:
        dialog = CsvImportDialog(self.ctx, self.runner, path, self)
        dialog.imported.connect(self.imported)
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def choose_export(self) -> None:
        path = prompts.choose_save_path(self, "CSVに書き出し", "予約一覧.csv", CSV_FILTER)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        ctx = self.ctx
        first = ctx.policy.localize(ctx.clock.now()).date()

        def work() -> int:
            rows = csv_io.export_rows(ctx, first, None)
            csv_io.write_atomically(path, csv_io.export_csv(rows))
            return len(rows)

        self.runner.start(
            work,
            lambda count: self.exported.emit(path, count),
            lambda message: prompts.show_error(self, "書き出せませんでした", message),
        )
