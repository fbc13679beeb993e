"""The queue table's model and filter proxy: qtmodeltester, filters, sorting, 100,000 rows."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView
from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.queue_model import (
    COLUMN_CHANNEL,
    COLUMN_SCHEDULED,
    COLUMN_STATE,
    COLUMN_TEXT,
    ENTRY_ROLE,
    HEADERS,
    EntryFilterProxy,
    EntryTableModel,
)

CHANNELS = ("x-city", "x-mayor", "line", "facebook", "youtube")
STATES = (EntryState.SCHEDULED, EntryState.PUBLISHED, EntryState.FAILED, EntryState.CANCELLED)
START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo


def make_entries(count: int) -> list[Entry]:
    entries = []
    for n in range(count):
        at = START + timedelta(hours=(n * 7) % (24 * 60), minutes=n % 60)
        entries.append(
            Entry(
                id=n + 1,
                item_id=n // 3 + 1,
                channel_key=CHANNELS[n % len(CHANNELS)],
                item_text=f"お知らせ {n}",
                text_override=None,
                title=None,
                scheduled_at=at,
                state=STATES[n % len(STATES)],
                attempts=0,
                next_attempt_at=None,
                idempotency_key=f"key-{n}",
                resume_state=None,
                remote_id=None,
                remote_url=None,
                last_error="失敗しました" if STATES[n % len(STATES)] == EntryState.FAILED else None,
                claimed_by=None,
                claimed_at=None,
                published_at=None,
                updated_at=at,
                version=1,
            )
        )
    return entries


@pytest.fixture
def policy() -> PostingPolicy:
    return PostingPolicy.default()


@pytest.fixture
def model(policy: PostingPolicy) -> EntryTableModel:
    table = EntryTableModel(policy)
    table.set_entries(make_entries(40))
    return table


@pytest.fixture
def proxy(policy: PostingPolicy, model: EntryTableModel) -> EntryFilterProxy:
    filtered = EntryFilterProxy(policy)
    filtered.setSourceModel(model)
    return filtered


def test_the_model_passes_qtmodeltester(qtmodeltester: object, model: EntryTableModel) -> None:
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_the_proxy_passes_qtmodeltester(qtmodeltester: object, proxy: EntryFilterProxy) -> None:
    proxy.set_channel("line")
    proxy.set_states(frozenset({EntryState.SCHEDULED, EntryState.FAILED}))
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]


def test_cells_show_japanese_time_channel_and_state(model: EntryTableModel) -> None:
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(HEADERS))] == list(
        HEADERS
    )
    first = model.index(0, 0)
    assert model.data(first) == "2026年11月2日（月）09:00"
    assert model.data(model.index(0, COLUMN_CHANNEL)) == "小平市公式 X"
    assert model.data(model.index(0, COLUMN_STATE)) == "◷ 予約済み"
    assert model.data(model.index(2, COLUMN_STATE)) == "✗ 失敗"
    assert isinstance(model.data(first, ENTRY_ROLE), Entry)
    assert model.data(model.index(0, COLUMN_TEXT), Qt.ItemDataRole.ToolTipRole) == "お知らせ 0"


def test_filters_by_channel_state_and_date(proxy: EntryFilterProxy) -> None:
    proxy.set_channel("facebook")
    assert proxy.rowCount() == 8
    assert {proxy.entry_at(proxy.index(r, 0)).channel_key for r in range(8)} == {"facebook"}  # type: ignore[union-attr]
    proxy.set_states(frozenset({EntryState.PUBLISHED}))
    assert all(
        proxy.data(proxy.index(r, COLUMN_STATE)) == "✓ 投稿済み" for r in range(proxy.rowCount())
    )
    proxy.set_channel(None)
    proxy.set_states(None)
    proxy.set_date_range(date(2026, 11, 2), date(2026, 11, 2))
    shown = {proxy.data(proxy.index(r, COLUMN_SCHEDULED))[:13] for r in range(proxy.rowCount())}
    assert shown == {"2026年11月2日（月）"}
    proxy.set_date_range(None, None)
    assert proxy.rowCount() == 40


def test_sorting_through_the_proxy_sorts_the_list(
    qtmodeltester: object, proxy: EntryFilterProxy, model: EntryTableModel
) -> None:
    proxy.sort(COLUMN_SCHEDULED, Qt.SortOrder.DescendingOrder)
    times = [model.entry_at(r).scheduled_at for r in range(model.rowCount())]
    assert times == sorted(times, reverse=True)
    proxy.sort(COLUMN_CHANNEL, Qt.SortOrder.AscendingOrder)
    keys = [proxy.data(proxy.index(r, COLUMN_CHANNEL)) for r in range(proxy.rowCount())]
    assert keys[0] == "Facebook"
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]


def test_100000_rows_stay_smooth(qtbot: QtBot, policy: PostingPolicy) -> None:
    entries = make_entries(100_000)
    model = EntryTableModel(policy)
    proxy = EntryFilterProxy(policy)
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.resize(900, 600)
    view.show()
    steps: list[tuple[str, Callable[[], None]]] = [
        ("load", lambda: model.set_entries(entries)),
        ("sort", lambda: proxy.sort(COLUMN_SCHEDULED, Qt.SortOrder.DescendingOrder)),
        ("filter channel", lambda: proxy.set_channel("line")),
        ("filter state", lambda: proxy.set_states(frozenset({EntryState.FAILED}))),
        ("clear channel", lambda: proxy.set_channel(None)),
        ("clear state", lambda: proxy.set_states(None)),
        ("scroll to end", view.scrollToBottom),
    ]
    timings: dict[str, float] = {}
    for name, step in steps:
        started = time.perf_counter()
        step()
        proxy.rowCount()  # the proxy maps rows lazily: make it do the work now
        QApplication.processEvents()  # and let the view repaint
        timings[name] = time.perf_counter() - started
    assert proxy.rowCount() == 100_000
    print("100,000 rows:", {k: f"{v * 1000:.0f} ms" for k, v in timings.items()})
    assert max(timings.values()) < 3.0
