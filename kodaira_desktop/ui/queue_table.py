"""The queue as a filterable, sortable table, paged from the database.

The database filters, sorts and counts over indexed columns; only the pages of rows on screen
are fetched (on a worker), so 100,000 or 1,000,000 entries cost the same to open.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from time import perf_counter

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.entry_query import EntryFilter
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
    PAGE_SIZE,
    PagedEntryModel,
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
        self.model = PagedEntryModel(ctx.policy, self)
        self.where = EntryFilter()
        self.all_count = 0
        self.last_load_seconds = 0.0

        self.channel_filter = QComboBox()
        self.channel_filter.addItem("すべての媒体", None)
        for key, label in CHANNEL_LABELS.items():
            self.channel_filter.addItem(label, key)
        self.channel_filter.setAccessibleName("媒体で絞り込み")
        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName("状態で絞り込み")
        self.state_filter.addItem("すべての状態", None)
        self.state_filter.addItem("送信前・送信中", "waiting")
        for state, label in STATE_LABELS_JA.items():
            self.state_filter.addItem(label, state.value)
        self.date_filter = QCheckBox("期間：")
        today = self.ctx.policy.localize(self.ctx.clock.now()).date()
        self.first_day = QDateEdit(QDate(today.year, today.month, 1))
        self.last_day = QDateEdit(QDate(today.year, today.month, 1).addMonths(1).addDays(-1))
        self.first_day.setAccessibleName("期間の初日")
        self.last_day.setAccessibleName("期間の最終日")
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
            self.model,
            COLUMN_TEXT,
            {COLUMN_SCHEDULED: 140, COLUMN_CHANNEL: 130, COLUMN_STATE: 150, COLUMN_ITEM: 60},
        )
        self.view.setAccessibleName("予約の一覧")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COLUMN_SCHEDULED, Qt.SortOrder.AscendingOrder)
        self.model.sortRequested.connect(lambda: self._query(count_all=False))
        self.model.pageWanted.connect(self._fetch_page)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.activated.connect(self._open)  # Enter, or a double-click

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
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab as the row reads: the filters, the CSV buttons at its right end, the table (the
        buttons were made first, so Qt would put them first)."""
        previous: QWidget = self.last_day
        for button in self.csv_actions.findChildren(QPushButton):
            QWidget.setTabOrder(previous, button)
            previous = button
        QWidget.setTabOrder(previous, self.view)

    def reload(self) -> None:
        """Count and fetch the first page on a worker; the table is replaced when they arrive
        (rows further down are fetched when they come into view)."""
        self._query(count_all=True)

    def _query(self, *, count_all: bool) -> None:
        """``count_all``: count the whole queue too (a filter or a sort changes only what is
        shown, so they reuse the last total)."""
        ctx, where, order = self.ctx, self.where, self.model.order
        generation = self.model.begin_query()
        started = perf_counter()
        self.count_label.setText("読み込み中…")

        def work() -> tuple[int, int, list[Entry]]:
            shown = queries.entry_count(ctx, where)
            if where == EntryFilter():
                everything = shown
            elif count_all:
                everything = queries.entry_count(ctx, EntryFilter())
            else:
                everything = -1  # unchanged
            return shown, everything, queries.entry_page(ctx, where, order, 0, PAGE_SIZE)

        def done(result: tuple[int, int, list[Entry]]) -> None:
            shown, everything, first = result
            if self.model.show_result(generation, shown, first):
                if everything >= 0:
                    self.all_count = everything
                self.last_load_seconds = perf_counter() - started
                self._update_count()
                self.loaded.emit(shown)

        self.runner.start(work, done, self._load_failed)

    def _fetch_page(self, generation: int, page: int) -> None:
        ctx, where, order = self.ctx, self.where, self.model.order
        self.runner.start(
            lambda: queries.entry_page(ctx, where, order, page * PAGE_SIZE, PAGE_SIZE),
            lambda entries: self.model.add_page(generation, page, entries),
            self._load_failed,
        )

    def _load_failed(self, message: str) -> None:
        self.count_label.setText(f"読み込めませんでした：{message}")

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.model.total:,} 件表示（全 {self.all_count:,} 件）")

    def _set_filter(self, **changes: object) -> None:
        self.where = replace(self.where, **changes)  # type: ignore[arg-type]
        self._query(count_all=False)

    def _apply_channel_filter(self) -> None:
        key = self.channel_filter.currentData()
        self._set_filter(channels=None if key is None else frozenset({key}))

    def _apply_state_filter(self) -> None:
        value = self.state_filter.currentData()
        if value is None:
            self._set_filter(states=None)
        elif value == "waiting":
            self._set_filter(states=WAITING_STATES)
        else:
            self._set_filter(states=frozenset({EntryState(value)}))

    def _apply_date_filter(self) -> None:
        on = self.date_filter.isChecked()
        self.first_day.setEnabled(on)
        self.last_day.setEnabled(on)
        if not on:
            self._set_filter(start=None, end=None)
            return
        zone = self.ctx.policy.zone
        first, last = from_qdate(self.first_day.date()), from_qdate(self.last_day.date())
        start = datetime(first.year, first.month, first.day, tzinfo=zone)
        end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
        self._set_filter(start=start, end=end)

    def _open(self, index: QModelIndex) -> None:
        entry = self.model.entry_at(index.row())
        if entry is not None and entry.state == EntryState.UNKNOWN:
            self.unknownOpened.emit(entry)
        elif entry is not None:
            self.itemOpened.emit(entry.item_id)

    def select_channel_filter(self, key: str | None) -> None:
        self.channel_filter.setCurrentIndex(max(0, self.channel_filter.findData(key)))

    def item_ids_shown(self) -> set[int]:
        """Items of the rows fetched so far."""
        return {entry.item_id for entry in self.model.entries()}
