"""「配信PC」 (the 管理 tab): which PCs dispatch, from the dispatchers' heartbeats, and when each
was last seen (「12秒前（2026年11月25日（水）9:00）」, Japan time). Refreshed by a timer every
few seconds while the section is on screen — a query on a worker, not a busy loop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from kodaira_desktop.domain.dates_ja import format_ago, format_instant
from kodaira_desktop.services import admin
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import MUTED_COLOUR, OK_COLOUR
from kodaira_desktop.ui.record_model import RecordTableModel
from kodaira_desktop.ui.workers import TaskRunner

SECTION_TITLE = "配信PC"
REFRESH_MS = 10_000
LIVE, SILENT = "配信中", "応答なし"


class DispatcherModel(RecordTableModel[admin.DispatchingPc]):
    headers = ("PC", "状態", "最終確認", "ログイン名", "起動", "バージョン")
    now: datetime | None = None

    def cell_data(self, record: admin.DispatchingPc, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(OK_COLOUR if record.live else MUTED_COLOUR)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return record.pc
        if column == 1:
            return LIVE if record.live else SILENT
        if column == 2:
            return self.last_seen(record)
        if column == 3:
            return record.login
        if column == 4:
            return format_instant(self._policy.localize(record.started_at))
        return record.app_version

    def last_seen(self, record: admin.DispatchingPc) -> str:
        at = format_instant(self._policy.localize(record.last_seen), seconds=True)
        if self.now is None:
            return at
        return f"{format_ago(self.now - record.last_seen)}（{at}）"


class DispatchersView(QWidget):
    loaded = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self._loading = False
        self.model = DispatcherModel(ctx.policy, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("配信しているPCの一覧")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        layout = QVBoxLayout(self)
        note = QLabel(
            "予約した投稿を送信するのは「配信中」のPCです。配信中のPCが1台もないと、予約の時刻に"
            "なっても送信されません。PCごとの最終確認の時刻は数秒おきに更新されます。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        super().hideEvent(event)
        self.timer.stop()

    def reload(self) -> None:
        if self._loading:  # the last query is still out: the next tick asks again
            return
        self._loading = True
        ctx = self.ctx
        self.runner.start(
            lambda: (ctx.clock.now(), admin.dispatching_pcs(ctx)), self._show, self._failed
        )

    def _failed(self, message: str) -> None:
        self._loading = False
        self.summary.setText(f"読み込めませんでした：{message}")
        self.loaded.emit()

    def _show(self, loaded: tuple[datetime, list[admin.DispatchingPc]]) -> None:
        self._loading = False
        now, pcs = loaded
        self.model.now = now
        self.model.set_records(pcs)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        live = sum(1 for pc in pcs if pc.live)
        if not pcs:
            self.summary.setText("配信したPCの記録がありません。どのPCも配信していません。")
        elif live == 0:
            self.summary.setText("いま配信中のPCはありません。予約した投稿は送信されません。")
        else:
            self.summary.setText(f"配信中のPC：{live} 台")
        self.loaded.emit()

    def row_texts(self) -> list[list[str]]:
        return [
            [
                str(self.model.data(self.model.index(row, column)))
                for column in range(self.model.columnCount())
            ]
            for row in range(self.model.rowCount())
        ]
