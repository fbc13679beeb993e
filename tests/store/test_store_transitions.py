"""Compare-and-set transitions, claiming, editing rules and naive-datetime refusal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import StatementError

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState, TransitionError
from kodaira_desktop.store.engine import Database
from kodaira_desktop.store.errors import NotEditableError, VersionConflictError
from kodaira_desktop.store.repository import Store
from kodaira_desktop.store.tables import ItemRow
from tests.store.conftest import START, FakeClock

S = EntryState


def _item(store: Store, when: datetime = START, channels: tuple[str, ...] = ("x-city",)) -> int:
    return store.create_item_with_entries(
        text="お知らせ", category=None, author="suzuki", channels=list(channels), scheduled_at=when
    )


def _entry(store: Store, item_id: int, channel: str = "x-city") -> Entry:
    item = store.get_item(item_id)
    assert item is not None
    return next(e for e in item.entries if e.channel_key == channel)


def test_transition_wins_once_then_stale_version_and_state_lose(store: Store) -> None:
    entry = _entry(store, _item(store))
    assert store.transition(entry.id, S.SCHEDULED, 1, S.SENDING, claimed_by="pc-01")
    # Same expectations again: the version moved on.
    assert not store.transition(entry.id, S.SCHEDULED, 1, S.SENDING, claimed_by="pc-02")
    # Right version, wrong state.
    assert not store.transition(entry.id, S.SCHEDULED, 2, S.SENDING)
    sent = store.get_entry(entry.id)
    assert sent is not None
    assert (sent.state, sent.version, sent.claimed_by) == (S.SENDING, 2, "pc-01")

    published_at = START + timedelta(seconds=3)
    assert store.transition(
        entry.id,
        S.SENDING,
        2,
        S.PUBLISHED,
        remote_id="1234",
        remote_url="https://x.com/kodaira/status/1234",
        published_at=published_at,
        attempts=1,
    )
    done = store.get_entry(entry.id)
    assert done is not None
    assert (done.state, done.version, done.remote_id, done.attempts) == (
        S.PUBLISHED,
        3,
        "1234",
        1,
    )
    assert done.published_at == published_at


def test_transition_refuses_disallowed_changes_and_unknown_fields(store: Store) -> None:
    entry = _entry(store, _item(store))
    with pytest.raises(TransitionError):
        store.transition(entry.id, S.SCHEDULED, 1, S.PUBLISHED)
    with pytest.raises(TypeError, match="text"):
        store.transition(entry.id, S.SCHEDULED, 1, S.SCHEDULED, text="x")  # type: ignore[call-arg]
    unchanged = store.get_entry(entry.id)
    assert unchanged is not None
    assert unchanged.version == 1


def test_claim_due_takes_due_entries_only(store: Store, clock: FakeClock) -> None:
    due = _entry(store, _item(store, START - timedelta(minutes=1)))
    later = _entry(store, _item(store, START + timedelta(hours=1)))
    awaiting = store.create_item_with_entries(
        text="緊急",
        category=None,
        author="a",
        channels=["line"],
        scheduled_at=START,
        state=S.AWAITING_APPROVAL,
    )
    draft = store.create_item_with_entries(
        text="下書き",
        category=None,
        author="a",
        channels=["line"],
        scheduled_at=START - timedelta(days=1),
        state=S.DRAFT,
    )
    retry = _entry(store, _item(store, START - timedelta(hours=2), ("facebook",)), "facebook")
    assert store.transition(retry.id, S.SCHEDULED, 1, S.SENDING)
    assert store.transition(
        retry.id, S.SENDING, 2, S.RETRY_WAIT, next_attempt_at=START + timedelta(minutes=5)
    )

    claimed = store.claim_due(START, "pc-01")
    # An emergency request waits for the chief; approval makes it `scheduled`.
    assert {e.id for e in claimed} == {due.id}
    assert _entry(store, awaiting, "line").state is S.AWAITING_APPROVAL
    assert all(e.state is S.SENDING and e.claimed_by == "pc-01" for e in claimed)
    assert all(e.claimed_at == START for e in claimed)
    assert store.claim_due(START, "pc-02") == []  # nothing left that is due
    assert _entry(store, draft, "line").state is S.DRAFT

    assert store.next_due_time(START) == START + timedelta(minutes=5)  # the retry
    assert [e.id for e in store.claim_due(START + timedelta(minutes=5), "pc-02")] == [retry.id]
    assert store.next_due_time(START) == later.scheduled_at
    assert store.next_due_time(START + timedelta(days=1)) == START + timedelta(days=1)


def test_claim_skips_suspended_channels_and_respects_limit(store: Store) -> None:
    for _ in range(3):
        _item(store, START, ("x-city", "x-mayor"))
    store.set_suspended("x-mayor", True, reason="点検", by="tanaka")
    first = store.claim_due(START, "pc-01", limit=2)
    assert len(first) == 2
    rest = store.claim_due(START, "pc-01", limit=10)
    assert {e.channel_key for e in first + rest} == {"x-city"}
    assert len(rest) == 1
    assert store.next_due_time(START) is None
    store.set_suspended("x-mayor", False)
    assert store.next_due_time(START) == START
    assert len(store.claim_due(START, "pc-01")) == 3


def test_stuck_sending_entries_are_found(store: Store, clock: FakeClock) -> None:
    _item(store, START)
    [claimed] = store.claim_due(START, "pc-01")
    assert store.sending_claimed_before(START) == []
    assert [e.id for e in store.sending_claimed_before(START + timedelta(minutes=10))] == [
        claimed.id
    ]


def test_update_item_edits_text_and_entries_with_cas(store: Store, clock: FakeClock) -> None:
    item_id = _item(store, START + timedelta(days=1), ("x-city", "line"))
    clock.advance(timedelta(minutes=1))
    new_time = START + timedelta(days=2)
    updated = store.update_item(
        item_id,
        1,
        text="訂正版",
        category="koho",
        scheduled_at=new_time,
        overrides={"x-city": "訂正（短）"},
    )
    assert (updated.text, updated.category, updated.version) == ("訂正版", "koho", 2)
    assert updated.updated_at == clock.now
    assert {e.channel_key: e.text for e in updated.entries} == {
        "x-city": "訂正（短）",
        "line": "訂正版",
    }
    assert all(e.scheduled_at == new_time and e.version == 2 for e in updated.entries)
    with pytest.raises(VersionConflictError):
        store.update_item(item_id, 1, text="古い画面からの編集")
    assert store.update_item(item_id, 2, category=None).category is None


def test_a_sending_entry_cannot_be_edited(store: Store) -> None:
    item_id = _item(store, START, ("x-city", "line"))
    x_entry = _entry(store, item_id)
    assert store.transition(x_entry.id, S.SCHEDULED, 1, S.SENDING, claimed_by="pc-01")
    with pytest.raises(NotEditableError, match="sending"):
        store.update_item(item_id, 1, text="送信中に編集")
    item = store.get_item(item_id)
    assert item is not None
    assert item.text == "お知らせ"
    assert item.version == 1
    assert [e.version for e in item.entries] == [2, 1]  # line untouched too: all or nothing
    # Nor can the dispatcher's claim be overtaken by a transition from an old read.
    assert not store.transition(x_entry.id, S.SCHEDULED, 1, S.CANCELLED)


def test_an_edited_entry_cannot_be_claimed_with_the_old_version(store: Store) -> None:
    item_id = _item(store, START)
    before = _entry(store, item_id)
    store.update_item(item_id, 1, text="編集済み")
    assert not store.transition(before.id, S.SCHEDULED, before.version, S.SENDING)
    [claimed] = store.claim_due(START, "pc-01")
    assert claimed.text == "編集済み"


def test_cancel_item_cancels_what_it_can(store: Store) -> None:
    item_id = _item(store, START, ("x-city", "line", "facebook"))
    line = _entry(store, item_id, "line")
    assert store.transition(line.id, S.SCHEDULED, 1, S.SENDING)
    cancelled = store.cancel_item(item_id)
    item = store.get_item(item_id)
    assert item is not None
    states = {e.channel_key: e.state for e in item.entries}
    assert states == {"x-city": S.CANCELLED, "line": S.SENDING, "facebook": S.CANCELLED}
    assert sorted(cancelled) == sorted(e.id for e in item.entries if e.channel_key != "line")
    with pytest.raises(VersionConflictError):
        store.cancel_item(item_id, expected_version=1)
    # Cancelled entries do not block editing the rest... but the sending one does.
    with pytest.raises(NotEditableError):
        store.update_item(item_id, item.version, text="x")


def test_naive_datetimes_are_refused(store: Store, db: Database) -> None:
    naive = datetime(2025, 12, 1, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        store.create_item_with_entries(
            text="t", category=None, author="a", channels=["line"], scheduled_at=naive
        )
    entry = _entry(store, _item(store), "x-city")
    with pytest.raises(ValueError, match="timezone-aware"):
        store.transition(entry.id, S.SCHEDULED, 1, S.SCHEDULED, scheduled_at=naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        store.claim_due(naive, "pc-01")
    with pytest.raises(ValueError, match="timezone-aware"):
        store.list_entries(start=naive)
    # The column type itself refuses too, for code that bypasses the Store.
    with pytest.raises(StatementError) as caught, db.write() as session:
        session.execute(
            insert(ItemRow).values(text="t", author="a", created_at=naive, updated_at=naive)
        )
    assert isinstance(caught.value.orig, ValueError)


def test_clock_must_be_aware(db: Database) -> None:
    store = Store(db, clock=lambda: datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="clock"):
        _item(store)
