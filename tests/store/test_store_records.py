"""Create, read and update each kind of record through the Store, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.store.errors import NotFoundError
from kodaira_desktop.store.repository import Store
from tests.store.conftest import START, FakeClock

JST = ZoneInfo("Asia/Tokyo")
SHA_A = "a" * 64
SHA_B = "b" * 64


def _add_media(store: Store, sha: str = SHA_A) -> None:
    store.add_media(
        sha256=sha,
        mime="image/png",
        size=1234,
        original_name="桜.png",
        stored_name=f"{sha}.png",
        width=800,
        height=600,
    )


def test_channels_suspend_and_resume(store: Store, clock: FakeClock) -> None:
    assert store.get_channel("nope") is None
    suspended = store.set_suspended("x-mayor", True, reason="不正ログインの疑い", by="tanaka")
    assert suspended.suspended
    assert suspended.suspended_by == "tanaka"
    assert suspended.suspended_at == clock.now
    assert store.get_channel("x-mayor") == suspended
    resumed = store.set_suspended("x-mayor", False)
    assert not resumed.suspended
    assert resumed.suspended_reason is None
    added = store.add_channel("instagram", "instagram", "小平市 Instagram", handle="kodaira")
    assert store.get_channel("instagram") == added
    with pytest.raises(NotFoundError):
        store.set_suspended("nope", True)


def test_users(store: Store, clock: FakeClock) -> None:
    staff = store.add_user("suzuki", "鈴木 花子", "staff", channels=["x-city", "line"])
    assert staff.channels == frozenset({"x-city", "line"})
    assert staff.created_at == clock.now
    assert staff.active
    assert not staff.is_chief
    chief = store.add_user("tanaka", "田中 一郎", "chief")
    assert store.get_user_by_login("tanaka") == chief
    assert store.get_user_by_login("nobody") is None
    assert [u.login for u in store.list_users()] == ["suzuki", "tanaka"]
    assert [u.login for u in store.list_users(role="chief")] == ["tanaka"]

    assert store.set_designations("suzuki", ["youtube"]).channels == frozenset({"youtube"})
    with pytest.raises(NotFoundError):
        store.set_designations("suzuki", ["myspace"])
    with pytest.raises(IntegrityError):
        store.add_user("suzuki", "二人目", "staff")

    keyed = store.set_chief_key(
        "tanaka",
        public_key=b"\x01" * 32,
        encrypted_private_key=b"\x02" * 64,
        kdf_params='{"n": 32768}',
        endorsed_by="root",
        endorsement=b"\x03" * 64,
    )
    assert keyed.public_key == b"\x01" * 32
    assert keyed.kdf_params == '{"n": 32768}'
    assert store.get_user_by_login("tanaka") == keyed

    assert store.set_active("suzuki", False).active is False
    assert [u.login for u in store.list_users(active_only=True)] == ["tanaka"]


def test_failed_attempts_lock_then_success_resets(store: Store, clock: FakeClock) -> None:
    store.add_user("tanaka", "田中", "chief")
    for _ in range(2):
        user = store.record_attempt("tanaka", False, max_failures=3)
    assert user.failed_attempts == 2
    assert user.locked_until is None
    user = store.record_attempt("tanaka", False, max_failures=3, lockout=timedelta(minutes=5))
    assert user.locked_until == clock.now + timedelta(minutes=5)
    assert user.is_locked(clock.now)
    assert not user.is_locked(clock.now + timedelta(minutes=6))
    user = store.record_attempt("tanaka", True)
    assert user.failed_attempts == 0
    assert user.locked_until is None


def test_item_with_entries_and_media(store: Store, clock: FakeClock) -> None:
    _add_media(store)
    _add_media(store, SHA_B)
    when = datetime(2025, 12, 1, 9, 30, tzinfo=JST)
    item_id = store.create_item_with_entries(
        text="小平市からのお知らせです",
        category="event",
        author="suzuki",
        channels=["x-city", "line", "youtube"],
        scheduled_at=when,
        overrides={"x-city": "短いお知らせ"},
        titles={"youtube": "小平の冬"},
        media=[SHA_B, SHA_A],
        public_urls={SHA_A: "https://example.jp/a.png"},
    )
    item = store.get_item(item_id)
    assert item is not None
    assert (item.text, item.category, item.author, item.version) == (
        "小平市からのお知らせです",
        "event",
        "suzuki",
        1,
    )
    assert item.created_at == clock.now
    by_channel = {entry.channel_key: entry for entry in item.entries}
    assert set(by_channel) == {"x-city", "line", "youtube"}
    assert by_channel["x-city"].text == "短いお知らせ"
    assert by_channel["line"].text == "小平市からのお知らせです"
    assert by_channel["youtube"].title == "小平の冬"
    for entry in item.entries:
        assert entry.state is EntryState.SCHEDULED
        assert entry.scheduled_at == when
        assert entry.scheduled_at.tzinfo is UTC
        assert entry.version == 1
        assert entry.attempts == 0
    assert len({entry.idempotency_key for entry in item.entries}) == 3
    assert [(m.media.sha256, m.position, m.public_url) for m in item.media] == [
        (SHA_B, 0, None),
        (SHA_A, 1, "https://example.jp/a.png"),
    ]
    store.set_media_public_url(item_id, SHA_B, "https://example.jp/b.png")
    assert store.media_for_item(item_id)[0].public_url == "https://example.jp/b.png"
    assert store.get_entry(by_channel["line"].id) == by_channel["line"]
    assert store.get_entry(999_999) is None
    assert store.get_item(999_999) is None


def test_item_creation_is_validated(store: Store) -> None:
    when = START + timedelta(days=1)
    base = {"text": "t", "category": None, "author": "a", "scheduled_at": when}
    with pytest.raises(NotFoundError, match="myspace"):
        store.create_item_with_entries(channels=["x-city", "myspace"], **base)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        store.create_item_with_entries(channels=["line"], media=[SHA_A], **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="once"):
        store.create_item_with_entries(channels=["line", "line"], **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not chosen"):
        store.create_item_with_entries(channels=["line"], overrides={"x-city": "x"}, **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot start"):
        store.create_item_with_entries(channels=["line"], state=EntryState.SENDING, **base)  # type: ignore[arg-type]
    assert store.list_entries() == []  # nothing half-created


def test_media_is_content_addressed(store: Store) -> None:
    _add_media(store)
    store.add_media(
        sha256=SHA_A, mime="image/jpeg", size=1, original_name="x", stored_name="y"
    )  # same content again: the first record stays
    media = store.get_media(SHA_A)
    assert media is not None
    assert media.mime == "image/png"
    assert media.width == 800
    assert store.get_media(SHA_B) is None


def test_listing_filters_and_month(store: Store) -> None:
    def add(channel: str, when: datetime, state: EntryState = EntryState.SCHEDULED) -> int:
        return store.create_item_with_entries(
            text=f"{channel} {when}",
            category=None,
            author="suzuki",
            channels=[channel],
            scheduled_at=when,
            state=state,
        )

    add("x-city", datetime(2025, 11, 30, 23, 59, tzinfo=JST))
    add("line", datetime(2025, 12, 1, 0, 0, tzinfo=JST))  # 2025-11-30 15:00 UTC
    add("x-city", datetime(2025, 12, 31, 23, 59, tzinfo=JST))
    add("facebook", datetime(2026, 1, 1, 0, 0, tzinfo=JST), EntryState.DRAFT)

    december = store.entries_for_month(2025, 12, JST)
    assert [e.channel_key for e in december] == ["line", "x-city"]
    assert len(store.list_entries()) == 4
    assert [e.channel_key for e in store.list_entries(channels=["x-city"])] == ["x-city"] * 2
    assert [e.state for e in store.list_entries(states=[EntryState.DRAFT])] == [EntryState.DRAFT]
    page = store.list_entries(limit=2, offset=1)
    assert [e.channel_key for e in page] == ["line", "x-city"]
    assert store.count_entries(channels=["x-city", "line"]) == 3
    between = store.entries_between(
        datetime(2025, 11, 30, 15, 0, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC)
    )
    assert [e.channel_key for e in between] == ["line"]


def test_overrides(store: Store, clock: FakeClock) -> None:
    item_id = store.create_item_with_entries(
        text="大雨のため臨時休館",
        category="emergency",
        author="suzuki",
        channels=["x-city"],
        scheduled_at=START,
        state=EntryState.AWAITING_APPROVAL,
    )
    start = datetime(2025, 11, 29, 20, 0, tzinfo=JST)
    request = store.create_override(
        item_id=item_id,
        requested_by="suzuki",
        reason="台風接近",
        window_start=start,
        window_end=start + timedelta(hours=2),
        payload_hash="p" * 64,
    )
    assert request.status == "pending"
    assert request.requested_at == clock.now
    assert store.list_pending_overrides() == [request]
    assert store.get_override(request.id) == request

    assert store.decide_override(
        request.id, "approved", decided_by="tanaka", signature=b"sig", decision_reason="了承"
    )
    # A second chief deciding on what they saw as pending loses.
    assert not store.decide_override(request.id, "rejected", decided_by="sato")
    decided = store.get_override(request.id)
    assert decided is not None
    assert (decided.status, decided.decided_by, decided.signature) == ("approved", "tanaka", b"sig")
    assert store.list_pending_overrides() == []
    assert store.list_overrides(item_id=item_id) == [decided]
    with pytest.raises(ValueError, match="not a decision"):
        store.decide_override(request.id, "pending", decided_by="tanaka")


def test_overrides_expire(store: Store) -> None:
    item_id = store.create_item_with_entries(
        text="t", category=None, author="a", channels=["line"], scheduled_at=START
    )
    store.create_override(
        item_id=item_id,
        requested_by="a",
        reason="r",
        window_start=START,
        window_end=START + timedelta(hours=1),
    )
    assert store.expire_overrides(START + timedelta(minutes=30)) == 0
    assert store.expire_overrides(START + timedelta(hours=2)) == 1
    assert store.list_overrides(status="expired")[0].item_id == item_id


def test_heartbeats(store: Store, clock: FakeClock) -> None:
    first = store.beat("pc-01", "suzuki", 100, "0.1.0")
    assert first.started_at == first.last_seen == clock.now
    clock.advance(timedelta(seconds=30))
    same = store.beat("pc-01", "suzuki", 100, "0.1.0")
    assert same.started_at == first.started_at
    assert same.last_seen == clock.now
    clock.advance(timedelta(seconds=30))
    restarted = store.beat("pc-01", "suzuki", 200, "0.1.1")
    assert restarted.started_at == clock.now
    assert restarted.app_version == "0.1.1"
    store.beat("pc-02", "tanaka", 300, "0.1.1")
    assert [h.host_id for h in store.list_heartbeats()] == ["pc-01", "pc-02"]
    store.remove_heartbeat("pc-01")
    assert [h.host_id for h in store.list_heartbeats()] == ["pc-02"]


def test_datetimes_come_back_as_aware_utc(store: Store) -> None:
    other_zone = timezone(timedelta(hours=-5))
    when = datetime(2025, 12, 1, 3, 0, tzinfo=other_zone)
    item_id = store.create_item_with_entries(
        text="t", category=None, author="a", channels=["line"], scheduled_at=when
    )
    item = store.get_item(item_id)
    assert item is not None
    stored = item.entries[0].scheduled_at
    assert stored == when
    assert stored.tzinfo is UTC
    assert stored.hour == 8
