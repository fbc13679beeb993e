"""The queue calendar panel: the month grid beside the chosen day's list; months are read on a
worker and kept either side; a drop moves the item (`compose.reschedule_item`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.dates_ja import format_day, format_instant
from kodaira_desktop.domain.records import Entry, Item
from kodaira_desktop.domain.states import EDITABLE_STATES, EntryState
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.calendar_drag import DraggedItem, item_mime, moved_to
from kodaira_desktop.ui.calendar_lines import MonthDays, chip_icon, group_days
from kodaira_desktop.ui.channel_style import (
    CHANNEL_LABELS,
    ERROR_COLOUR,
    OK_COLOUR,
    channel_colour,
    channel_label,
    state_label,
    state_mark,
)
from kodaira_desktop.ui.month_grid import QueueCalendar
from kodaira_desktop.ui.policy_calendar import from_qdate
from kodaira_desktop.ui.workers import TaskRunner


class DayList(QListWidget):
    """The chosen day's entries; a row not yet sending can be dragged to another day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAccessibleName("選んだ日の予約")
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # noqa: N802
        if not items:
            return QMimeData()
        item_id, at = items[0].data(Qt.ItemDataRole.UserRole), items[0].data(SCHEDULED_ROLE)
        return item_mime(DraggedItem(int(item_id), at))


SCHEDULED_ROLE = Qt.ItemDataRole.UserRole + 1


class QueueCalendarPanel(QWidget):
    itemOpened = Signal(int)  # noqa: N815 — Qt signal naming
    monthLoaded = Signal(int, int, int)  # noqa: N815 — year, month, entries
    #: An item was moved to another day (the views should reload).
    itemRescheduled = Signal(int)  # noqa: N815
    #: A move was refused or failed; the message is shown under the calendar.
    moveRefused = Signal(str)  # noqa: N815

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.calendar = QueueCalendar(ctx.policy)
        self.calendar.itemDropped.connect(self.move_item)
        self.day_title = QLabel()
        self.day_title.setStyleSheet("font-weight: bold;")
        self.day_list = DayList()
        # Wrap long lines instead of hiding them behind a horizontal scrollbar.
        self.day_list.setWordWrap(True)
        self.day_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.day_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.day_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.day_list.itemActivated.connect(self._open)  # Enter, or a double-click
        self.move_message = QLabel()
        self.move_message.setWordWrap(True)
        self.move_message.hide()
        legend = QLabel(
            "　".join(
                f"<span style='color:{channel_colour(k).name()}'>■</span>{label}"
                for k, label in CHANNEL_LABELS.items()
            )
            + "<br>"
            + "　／　".join(
                f"{state_mark(s)} {state_label(s)}"
                for s in (
                    EntryState.SCHEDULED,
                    EntryState.AWAITING_APPROVAL,
                    EntryState.SENDING,
                    EntryState.PUBLISHED,
                    EntryState.FAILED,
                    EntryState.HELD,
                    EntryState.CANCELLED,
                )
            )
        )
        legend.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.day_title)
        side_layout.addWidget(self.day_list, 1)
        hint = QLabel(
            "ダブルクリックか Enter キーで項目を開きます（編集・取り消し）。"
            "別の日へドラッグすると、同じ時刻のまま移動します。"
        )
        hint.setWordWrap(True)
        side_layout.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.calendar)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.move_message)
        legend_row = QHBoxLayout()
        legend_row.addWidget(legend)
        layout.addLayout(legend_row)
        #: Months fetched since the last reload (the shown one and its neighbours).
        self._months: dict[tuple[int, int], MonthDays] = {}
        self._fetching: set[tuple[int, int]] = set()
        self._generation = 0
        self.calendar.show_today(ctx.policy.localize(ctx.clock.now()).date())
        #: The (year, month) whose entries are drawn, once some month's are.
        self.month_shown_with_entries: tuple[int, int] | None = None
        self.calendar.currentPageChanged.connect(self._load_month)
        self.calendar.selectionChanged.connect(self._show_day)

    def reload(self) -> None:
        """Fresh data: the month cache is emptied and the shown month fetched again."""
        self._generation += 1
        self._months.clear()
        self._load_month(self.calendar.yearShown(), self.calendar.monthShown())

    def prime(self, year: int, month: int, entries: list[Entry]) -> None:
        """Entries of a month read elsewhere (at start-up): kept, and shown if it is shown."""
        days = self._months[(year, month)] = group_days(entries, self.ctx.policy)
        if (self.calendar.yearShown(), self.calendar.monthShown()) == (year, month):
            self._show_month(year, month, days)
            QTimer.singleShot(0, self, lambda: self._prefetch_around(year, month))  # once drawn

    def _load_month(self, year: int, month: int) -> None:
        """Show the month from the cache or fetch it on a worker (an indexed range query);
        then fetch the months either side, so that switching to them draws at once."""
        cached = self._months.get((year, month))
        if cached is not None:
            self._show_month(year, month, cached)
            self._prefetch_around(year, month)
            return

        def shown(days: MonthDays) -> None:
            if (self.calendar.yearShown(), self.calendar.monthShown()) == (year, month):
                self._show_month(year, month, days)
                self._prefetch_around(year, month)

        self._fetch(year, month, shown)

    def _fetch(self, year: int, month: int, then: Callable[[MonthDays], None]) -> None:
        ctx, generation = self.ctx, self._generation
        self._fetching.add((year, month))

        def arrived(days: MonthDays) -> None:
            self._fetching.discard((year, month))
            if generation != self._generation:
                return  # fetched before a reload: stale
            self._months[(year, month)] = days
            then(days)

        def work() -> MonthDays:  # read and grouped off the GUI thread
            return group_days(read_month(ctx, year, month), ctx.policy)

        self.runner.start(work, arrived, self._load_failed)

    def _show_month(self, year: int, month: int, days: MonthDays) -> None:
        self.month_shown_with_entries = (year, month)
        self.calendar.set_days(days, *self._neighbours(year, month))
        self._show_day()
        self.monthLoaded.emit(year, month, len(days.entries))

    def _neighbours(self, year: int, month: int) -> list[MonthDays]:
        """The cached months either side: the grid shows some of their days."""
        around = (_add_months(year, month, step) for step in (-1, 1))
        return [self._months[key] for key in around if key in self._months]

    def _redraw_with_neighbours(self) -> None:
        """A neighbouring month arrived: draw its days in the grid of the month shown."""
        shown = (self.calendar.yearShown(), self.calendar.monthShown())
        days = self._months.get(shown)
        if days is not None and self.month_shown_with_entries == shown:
            self.calendar.set_days(days, *self._neighbours(*shown))
            self._show_day()

    def _prefetch_around(self, year: int, month: int) -> None:
        around = [_add_months(year, month, step) for step in (-1, 1)]
        for key in list(self._months):
            if abs(_month_index(*key) - _month_index(year, month)) > MONTHS_CACHED_AROUND:
                del self._months[key]
        for y, m in around:
            if (y, m) not in self._months and (y, m) not in self._fetching:
                self._fetch(y, m, lambda _days: self._redraw_with_neighbours())

    def _load_failed(self, message: str) -> None:
        self.day_title.setText(f"予定を読み込めませんでした：{message}")

    def _show_day(self) -> None:
        day = from_qdate(self.calendar.selectedDate())
        entries = sorted(
            self.calendar.entries_on(day), key=lambda e: (e.scheduled_at, e.channel_key)
        )
        reason = self.calendar.closed_reason(self.calendar.selectedDate())
        title = f"{format_day(day)}の予定（{len(entries)}件）"
        self.day_title.setText(title + (f" ― 投稿できない日：{reason}" if reason else ""))
        self.day_list.clear()
        for entry in entries:
            at = self.ctx.policy.localize(entry.scheduled_at)
            first_line = entry.text.strip().splitlines()[0] if entry.text.strip() else ""
            item = QListWidgetItem(
                chip_icon(entry),
                f"{at:%H:%M}　{channel_label(entry.channel_key)}　{state_label(entry.state)}\n"
                f"　#{entry.item_id} {first_line[:40]}",
            )
            item.setData(Qt.ItemDataRole.UserRole, entry.item_id)
            item.setData(SCHEDULED_ROLE, entry.scheduled_at)
            if entry.state not in EDITABLE_STATES:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            item.setToolTip(entry.text)
            self.day_list.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        self.itemOpened.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    # -- moving an item to another day -----------------------------------------------------

    def move_item(self, dragged: DraggedItem, day: date) -> None:
        """Same time of day on ``day``: refused here on a closed day or in the past, else
        rescheduled on a worker (the service has the last word)."""
        policy, now = self.ctx.policy, self.ctx.clock.now()
        when = moved_to(dragged.scheduled_at, day, policy.zone)
        if when == dragged.scheduled_at:
            return
        decision = policy.check(when)
        if not decision.allowed:
            refusal = policy.explain(format_instant(when), decision.reasons, decision.holiday_name)
            nxt = policy.next_allowed(max(when, now))
            self._refuse(
                f"#{dragged.item_id} を移動できません。{refusal}"
                f"次に投稿できるのは {format_instant(nxt)} です。"
            )
            return
        if when < now:
            self._refuse(f"{format_instant(when)} は過ぎているため移動できません。")
            return
        from kodaira_desktop.services import compose  # imported when first needed

        ctx, item_id = self.ctx, dragged.item_id

        def moved(_item: Item) -> None:
            self._say(f"項目 #{item_id} を {format_instant(when)} に移動しました。", ok=True)
            self.itemRescheduled.emit(item_id)

        self.runner.start(
            lambda: compose.reschedule_item(ctx, item_id, when),
            moved,
            lambda message: self._refuse(f"項目 #{item_id} を移動できませんでした：{message}"),
        )

    def _refuse(self, message: str) -> None:
        self._say(message, ok=False)
        self.moveRefused.emit(message)

    def _say(self, message: str, *, ok: bool) -> None:
        colour = OK_COLOUR if ok else ERROR_COLOUR
        self.move_message.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.move_message.setText(message)
        self.move_message.show()


#: Months kept either side of the one shown.
MONTHS_CACHED_AROUND = 2


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _add_months(year: int, month: int, step: int) -> tuple[int, int]:
    index = _month_index(year, month) + step
    return index // 12, index % 12 + 1


def read_month(ctx: AppContext, year: int, month: int) -> list[Entry]:
    """Worker body: a month's entries, and the holiday tables its grid will paint (building
    one imports the `holidays` package the first time: never on the GUI thread)."""
    from kodaira_desktop.services import queries  # start-up draws the first month without it

    for y, m in (_add_months(year, month, -1), (year, month), _add_months(year, month, 1)):
        ctx.policy.holiday_name(date(y, m, 1))
    return queries.entries_for_month(ctx, year, month)
