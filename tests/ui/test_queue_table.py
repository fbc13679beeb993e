"""The queue table over a real database: filters, sorting and paging done in SQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.pacing import pacing_message
from kodaira_desktop.domain.entry_query import EntryFilter, EntryOrder, SortKey
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.queue_calendar import QueueCalendarPanel
from kodaira_desktop.ui.queue_model import COLUMN_CHANNEL, COLUMN_ERROR, COLUMN_SCHEDULED, PAGE_SIZE
from kodaira_desktop.ui.queue_table import QueueTable
from kodaira_desktop.ui.workers import TaskRunner
from tests.ui.conftest import JST

CHANNELS = ("x-city", "x-mayor", "line", "facebook", "youtube")


def fill(ctx: AppContext, items: int) -> None:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=JST)
    for n in range(items):
        ctx.store.create_item_with_entries(
            text=f"お知らせ {n}",
            category=None,
            author="tanaka",
            channels=[CHANNELS[n % 5], CHANNELS[(n + 1) % 5]],
            scheduled_at=start + timedelta(hours=5 * n),
        )


def loaded_table(qtbot: QtBot, ctx: AppContext) -> QueueTable:
    table = QueueTable(ctx, TaskRunner())
    qtbot.addWidget(table)
    table.resize(900, 500)
    table.show()
    with qtbot.waitSignal(table.loaded, timeout=10_000):
        table.reload()
    return table


def requery(qtbot: QtBot, table: QueueTable, change: object) -> None:
    with qtbot.waitSignal(table.loaded, timeout=10_000):
        change()  # type: ignore[operator]


def shown(table: QueueTable, column: int) -> list[object]:
    model = table.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_filters_by_channel_state_and_date_in_sql(qtbot: QtBot, ctx: AppContext) -> None:
    fill(ctx, 30)
    first = ctx.store.list_entries(channels=["line"], limit=1)[0]
    ctx.store.transition(first.id, first.state, first.version, EntryState.CANCELLED)
    table = loaded_table(qtbot, ctx)
    assert table.model.rowCount() == 60
    assert "60 件表示（全 60 件）" in table.count_label.text()

    requery(qtbot, table, lambda: table.select_channel_filter("line"))
    assert table.model.rowCount() == 12
    assert set(shown(table, COLUMN_CHANNEL)) == {"LINE"}
    assert "12 件表示（全 60 件）" in table.count_label.text()

    index = table.state_filter.findData(EntryState.CANCELLED.value)
    requery(qtbot, table, lambda: table.state_filter.setCurrentIndex(index))
    assert [e.id for e in table.model.entries()] == [first.id]

    requery(qtbot, table, lambda: table.state_filter.setCurrentIndex(0))
    requery(qtbot, table, lambda: table.select_channel_filter(None))
    table.first_day.setDate(QDate(2026, 11, 3))
    table.last_day.setDate(QDate(2026, 11, 3))
    requery(qtbot, table, lambda: table.date_filter.setChecked(True))
    days = {str(value)[:13] for value in shown(table, COLUMN_SCHEDULED)}
    assert days == {"2026年11月3日（火）"}


def test_sorting_is_done_by_the_database(qtbot: QtBot, ctx: AppContext) -> None:
    fill(ctx, 20)
    table = loaded_table(qtbot, ctx)
    times = shown(table, COLUMN_SCHEDULED)
    assert times == sorted(times)  # type: ignore[type-var]
    requery(
        qtbot,
        table,
        lambda: table.view.sortByColumn(COLUMN_SCHEDULED, Qt.SortOrder.DescendingOrder),
    )
    assert shown(table, COLUMN_SCHEDULED) == sorted(times, reverse=True)  # type: ignore[type-var]
    requery(
        qtbot, table, lambda: table.view.sortByColumn(COLUMN_CHANNEL, Qt.SortOrder.AscendingOrder)
    )
    channels = [e.channel_key for e in table.model.entries()]
    assert channels == sorted(channels)


def test_rows_further_down_are_fetched_when_scrolled_to(qtbot: QtBot, ctx: AppContext) -> None:
    fill(ctx, PAGE_SIZE)  # two entries per item: two pages
    table = loaded_table(qtbot, ctx)
    assert table.model.rowCount() == PAGE_SIZE * 2
    assert len(table.model.entries()) == PAGE_SIZE  # only the first page so far
    table.view.scrollToBottom()
    qtbot.waitUntil(lambda: len(table.model.entries()) == PAGE_SIZE * 2, timeout=10_000)
    last = table.model.index(PAGE_SIZE * 2 - 1, 3)
    assert table.model.data(last) == f"お知らせ {PAGE_SIZE - 1}"


def test_the_calendar_draws_a_neighbouring_month_from_its_cache(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    december = datetime(2026, 12, 2, 10, 0, tzinfo=JST)
    ctx.store.create_item_with_entries(
        text="12月のお知らせ",
        category=None,
        author="tanaka",
        channels=["line"],
        scheduled_at=december,
    )
    runner = TaskRunner()
    panel = QueueCalendarPanel(ctx, runner)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.monthLoaded, timeout=10_000):
        panel.reload()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)  # the neighbours came too
    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(queries, "entries_for_month", lambda _ctx, y, m: asked.append((y, m)) or [])
    with qtbot.waitSignal(panel.monthLoaded, timeout=1_000) as shown:
        panel.calendar.showNextMonth()
    assert shown.args == [2026, 12, 1]
    assert [e.text for e in panel.calendar.entries_on(december.date())] == ["12月のお知らせ"]
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert asked == [(2027, 1)]  # only the new neighbour was read


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_pages_line_up_with_the_whole_list(ctx: AppContext, key: SortKey, descending: bool) -> None:
    fill(ctx, 60)
    where, order = EntryFilter(channels=frozenset({"line", "x-city"})), EntryOrder(key, descending)
    whole = queries.entry_page(ctx, where, order, 0, 1000)
    paged = [
        e for start in range(0, 60, 7) for e in queries.entry_page(ctx, where, order, start, 7)
    ]
    assert [e.id for e in paged] == [e.id for e in whole]
    assert len(whole) == queries.entry_count(ctx, where) == 48


def test_a_paced_entry_says_in_the_table_when_it_will_go(qtbot: QtBot, ctx: AppContext) -> None:
    fill(ctx, 1)
    entry = ctx.store.list_entries(limit=1)[0]
    message = pacing_message(datetime(2026, 11, 25, 10, 15, tzinfo=JST))
    ctx.store.transition(entry.id, entry.state, entry.version, EntryState.SENDING)
    ctx.store.transition(
        entry.id, EntryState.SENDING, entry.version + 1, EntryState.RETRY_WAIT, last_error=message
    )
    table = loaded_table(qtbot, ctx)
    row = next(r for r in range(2) if table.model.entry_at(r).id == entry.id)  # type: ignore[union-attr]
    assert table.model.data(table.model.index(row, COLUMN_ERROR)) == (
        "送信数の上限のため 10:15 に送信します（11月25日）。"
    )
