"""The queue tables' models: qtmodeltester, cells, the paged model's page requests and cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from kodaira_desktop.domain.entry_query import EntryOrder, SortKey
from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.queue_model import (
    COLUMN_CHANNEL,
    COLUMN_STATE,
    COLUMN_TEXT,
    ENTRY_ROLE,
    HEADERS,
    MAX_CACHED_PAGES,
    PAGE_SIZE,
    EntryTableModel,
    PagedEntryModel,
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


def paged(policy: PostingPolicy, entries: list[Entry]) -> PagedEntryModel:
    """A paged model served synchronously from a list (the table serves it from SQL)."""
    model = PagedEntryModel(policy)

    def serve(generation: int, page: int) -> None:
        start = page * PAGE_SIZE
        model.add_page(generation, page, entries[start : start + PAGE_SIZE])

    model.pageWanted.connect(serve)
    model.show_result(model.begin_query(), len(entries), entries[:PAGE_SIZE])
    return model


def test_the_model_passes_qtmodeltester(qtmodeltester: object, model: EntryTableModel) -> None:
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_the_paged_model_passes_qtmodeltester(qtmodeltester: object, policy: PostingPolicy) -> None:
    qtmodeltester.check(paged(policy, make_entries(PAGE_SIZE * 2 + 17)))  # type: ignore[attr-defined]


def test_the_paged_model_fetches_only_the_pages_looked_at(policy: PostingPolicy) -> None:
    entries = make_entries(PAGE_SIZE * 10)
    model = PagedEntryModel(policy)
    wanted: list[tuple[int, int]] = []
    model.pageWanted.connect(lambda generation, page: wanted.append((generation, page)))
    generation = model.begin_query()
    model.show_result(generation, len(entries), entries[:PAGE_SIZE])
    assert model.rowCount() == PAGE_SIZE * 10
    assert model.data(model.index(0, COLUMN_TEXT)) == "お知らせ 0"
    row = PAGE_SIZE * 7 + 3
    assert model.data(model.index(row, COLUMN_TEXT)) is None  # not here yet: asked for
    assert model.data(model.index(row + 1, COLUMN_TEXT)) is None  # asked for once only
    assert wanted == [(generation, 7)]
    model.add_page(generation - 1, 7, entries[:PAGE_SIZE])  # a late page of an old query
    assert model.data(model.index(row, COLUMN_TEXT)) is None
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last: changed.append(first.row()))
    model.add_page(generation, 7, entries[PAGE_SIZE * 7 : PAGE_SIZE * 8])
    assert changed == [PAGE_SIZE * 7]
    assert model.data(model.index(row, COLUMN_TEXT)) == f"お知らせ {row}"
    assert len(model.entries()) == PAGE_SIZE * 2


def test_the_page_cache_is_bounded(policy: PostingPolicy) -> None:
    entries = make_entries(PAGE_SIZE * (MAX_CACHED_PAGES + 20))
    model = paged(policy, entries)
    for row in range(0, len(entries), PAGE_SIZE):
        model.data(model.index(row, 0))
    assert len(model.entries()) == PAGE_SIZE * MAX_CACHED_PAGES


def test_a_header_click_asks_the_owner_to_requery(policy: PostingPolicy) -> None:
    model = paged(policy, make_entries(10))
    asked: list[bool] = []
    model.sortRequested.connect(lambda: asked.append(True))
    model.sort(COLUMN_CHANNEL, Qt.SortOrder.DescendingOrder)
    assert asked == [True]
    assert model.order == EntryOrder(SortKey.CHANNEL, descending=True)


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
