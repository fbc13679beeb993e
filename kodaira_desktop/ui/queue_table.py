"""The queue as a filterable, sortable table (all entries, loaded off the GUI thread)."""

from __future__ import annotations

from time import perf_counter

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import STATE_LABELS_JA, EntryState
from kodaira_desktop.services import queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import CHANNEL_LABELS
from kodaira_desktop.ui.csv_import_dialog import CsvActions
from kodaira_desktop.ui.policy_calendar import from_qdate
from kodaira_desktop.ui.queue_model import (
    COLUMN_CHANNEL,
    COLUMN_ITEM,
    COLUMN_SCHEDULED,
    COLUMN_STATE,
    COLUMN_TEXT,
    EntryFilterProxy,
    EntryTableModel,
)
from kodaira_desktop.ui.record_model import record_table_view
from kodaira_desktop.ui.workers import TaskRunner

#: The "waiting" filter: everything that may still be sent.
WAITING_STATES = frozenset(
    {
        EntryState.SCHEDULED,
        EntryState.AWAITING_APPROVAL,
        EntryState.RETRY_WAIT,
        EntryState.HELD,
        EntryState.SENDING,
    }
)


class QueueTable(QWidget):
    itemOpened = Signal(int)  # noqa: N815 — Qt signal naming
    #: A 結果不明 row was opened: a person must say whether it was published.
    unknownOpened = Signal(object)  # noqa: N815 — the Entry
    loaded = Signal(int)  # number of rows

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.model = EntryTableModel(ctx.policy, self)
        self.proxy = EntryFilterProxy(ctx.policy, self)
        self.proxy.setSourceModel(self.model)
        self.last_load_seconds = 0.0

        self.channel_filter = QComboBox()
        self.channel_filter.addItem("すべての媒体", None)
        for key, label in CHANNEL_LABELS.items():
            self.channel_filter.addItem(label, key)
        self.state_filter = QComboBox()
        self.state_filter.addItem("すべての状態", None)
        self.state_filter.addItem("送信前・送信中", "waiting")
        for state, label in STATE_LABELS_JA.items():
            self.state_filter.addItem(label, state.value)
        self.date_filter = QCheckBox("期間：")
        today = self.ctx.policy.localize(self.ctx.clock.now()).date()
        self.first_day = QDateEdit(QDate(today.year, today.month, 1))
        self.last_day = QDateEdit(QDate(today.year, today.month, 1).addMonths(1).addDays(-1))
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._apply_date_filter)
        self.date_filter.toggled.connect(self._apply_date_filter)
        self.channel_filter.currentIndexChanged.connect(self._apply_channel_filter)
        self.state_filter.currentIndexChanged.connect(self._apply_state_filter)
        self.count_label = QLabel()

        self.view = record_table_view(
            self.proxy,
            COLUMN_TEXT,
            {COLUMN_SCHEDULED: 140, COLUMN_CHANNEL: 130, COLUMN_STATE: 150, COLUMN_ITEM: 60},
        )
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COLUMN_SCHEDULED, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.doubleClicked.connect(self._open)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("絞り込み："))
        filters.addWidget(self.channel_filter)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.date_filter)
        filters.addWidget(self.first_day)
        filters.addWidget(QLabel("〜"))
        filters.addWidget(self.last_day)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        self.csv_actions = CsvActions(ctx, runner, self)
        self.csv_actions.imported.connect(lambda _ids: self.reload())
        filters.addWidget(self.csv_actions)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view)
        hint = QLabel(
            "行をダブルクリックすると、項目を開いて編集・取り消しができます。"
            "「結果不明」の行では、投稿済みにするか再送信するかを選べます。"
        )
        hint.setStyleSheet("color: #616161;")
        layout.addWidget(hint)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    def reload(self) -> None:
        """Fetch every entry on a worker thread; the table is replaced when it arrives."""
        ctx = self.ctx
        started = perf_counter()
        self.count_label.setText("読み込み中…")

        def done(entries: list[Entry]) -> None:
            self.show_entries(entries)
            self.last_load_seconds = perf_counter() - started
            self.loaded.emit(len(entries))

        self.runner.start(lambda: queries.entries(ctx), done, self._load_failed)

    def show_entries(self, entries: list[Entry]) -> None:
        header = self.view.horizontalHeader()
        self.model.set_entries(entries)
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._update_count()

    def _load_failed(self, message: str) -> None:
        self.count_label.setText(f"読み込めませんでした：{message}")

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown:,} 件表示（全 {total:,} 件）")

    def _apply_channel_filter(self) -> None:
        self.proxy.set_channel(self.channel_filter.currentData())

    def _apply_state_filter(self) -> None:
        value = self.state_filter.currentData()
        if value is None:
            self.proxy.set_states(None)
        elif value == "waiting":
            self.proxy.set_states(WAITING_STATES)
        else:
            self.proxy.set_states(frozenset({EntryState(value)}))

    def _apply_date_filter(self) -> None:
        on = self.date_filter.isChecked()
        self.first_day.setEnabled(on)
        self.last_day.setEnabled(on)
        if on:
            self.proxy.set_date_range(
                from_qdate(self.first_day.date()), from_qdate(self.last_day.date())
            )
        else:
            self.proxy.set_date_range(None, None)
        self._update_count()

    def _open(self, index: QModelIndex) -> None:
        entry = self.proxy.entry_at(index)
        if entry is not None and entry.state == EntryState.UNKNOWN:
            self.unknownOpened.emit(entry)
        elif entry is not None:
            self.itemOpened.emit(entry.item_id)

    def select_channel_filter(self, key: str | None) -> None:
        self.channel_filter.setCurrentIndex(max(0, self.channel_filter.findData(key)))

    def item_ids_shown(self) -> set[int]:
        return {
            int(self.proxy.data(self.proxy.index(row, COLUMN_ITEM)))
            for row in range(self.proxy.rowCount())
        }
