"""The dispatch engine in-process, against the service fakes, with an injected clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kodaira_desktop.dispatch.clock import FakeClock, ShiftedClock
from kodaira_desktop.dispatch.wakeup import JumpDetector, seconds_until, timer_ms
from kodaira_desktop.domain.records import Channel
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.platforms.base import Publisher
from kodaira_desktop.platforms.google_oauth import GoogleTokenSource
from kodaira_desktop.platforms.registry import make_publisher
from kodaira_desktop.platforms.youtube import YouTubePublisher
from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatcher import Dispatcher
from tests.fakes import FakeServices
from tests.fakes.facebook import error_body as facebook_error
from tests.office import JST
from tests.samples import mp4_bytes

CHUNK = 256 * 1024
S = EntryState


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        yield fakes


@pytest.fixture
def ctx(office: AppContext, services: FakeServices) -> AppContext:
    for key, fields in services.credentials.items():
        office.secrets.set_channel_credentials(key, fields)
    office.__dict__["endpoints"] = services.endpoints
    return office


def small_chunks(services: FakeServices) -> object:
    def factory(channel: Channel, credentials: Mapping[str, str]) -> Publisher:
        if channel.platform != "youtube":
            return make_publisher(channel.platform, credentials, services.endpoints, timeout=2)
        tokens = GoogleTokenSource(
            credentials["client_id"],
            credentials["client_secret"],
            credentials["refresh_token"],
            services.google.token_url,
            timeout=2,
        )
        return YouTubePublisher(tokens, services.youtube.url, timeout=2, chunk_size=CHUNK)

    return factory


def queue(ctx: AppContext, *channels: str, **changes: object) -> int:
    request = compose.ComposeRequest(text="お知らせ", channels=channels, **changes)  # type: ignore[arg-type]
    return compose.submit(ctx, request).item_id


def states(ctx: AppContext, item_id: int) -> dict[str, EntryState]:
    return {e.channel_key: e.state for e in ctx.store.list_entries(item_id=item_id)}


def test_youtube_upload_interrupted_halfway_resumes_from_the_stored_session(
    ctx: AppContext, services: FakeServices, tmp_path: Path, clock: FakeClock
) -> None:
    video = tmp_path / "kodaira.mp4"
    video.write_bytes(mp4_bytes(payload_size=3 * CHUNK + 5000))
    size = video.stat().st_size
    item_id = queue(ctx, "youtube", title="小平市の紹介", media=(video,))

    def break_second_chunk(entry: object, done: int, total: int) -> None:
        if done == CHUNK:
            services.youtube.drop_after_receiving(r"/upload/youtube/v3/videos", method="PUT")

    first = Dispatcher(ctx, publisher_factory=small_chunks(services), progress=break_second_chunk)  # type: ignore[arg-type]
    report = first.run_once()
    first.close()
    assert report.retrying
    (entry,) = ctx.store.list_entries(item_id=item_id)
    assert entry.state is S.RETRY_WAIT
    assert entry.resume_state  # the session URL, stored before any byte was sent
    assert services.youtube.videos == {}
    sent_before = len(services.youtube.requests)

    clock.advance(15 * 60)  # past the backoff, still inside the window
    second = Dispatcher(ctx, publisher_factory=small_chunks(services))  # type: ignore[arg-type]
    assert second.run_once().published == [entry.id]
    second.close()
    resumed = services.youtube.requests[sent_before:]
    assert all(r.method == "PUT" for r in resumed)  # no new upload session
    assert sum(len(r.body) for r in resumed) == size - 2 * CHUNK  # only what was missing
    assert len(services.youtube.videos) == 1
    (done,) = ctx.store.list_entries(item_id=item_id)
    assert done.remote_url == f"https://www.youtube.com/watch?v={done.remote_id}"


def test_rate_limit_reset_is_honoured(
    ctx: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    item_id = queue(ctx, "line")
    services.line.rate_limit_next(r"/broadcast$", seconds=1800)
    Dispatcher(ctx).run_once()
    (entry,) = ctx.store.list_entries(item_id=item_id)
    assert entry.state is S.RETRY_WAIT
    assert entry.next_attempt_at is not None
    assert entry.next_attempt_at >= clock.now() + timedelta(seconds=1800)
    clock.advance(600)
    assert Dispatcher(ctx).run_once().handled == 0  # not yet
    clock.advance(1300)
    assert Dispatcher(ctx).run_once().published == [entry.id]


def test_a_retry_that_would_fall_after_hours_waits_for_the_next_window(
    ctx: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    # Friday, ten seconds before closing: the backoff (about 30 s) ends after 17:15.
    clock.set(datetime(2026, 11, 27, 17, 14, 50, tzinfo=JST))
    item_id = queue(ctx, "line")
    services.line.fail_next(r"/broadcast$", 503)
    Dispatcher(ctx).run_once()
    (entry,) = ctx.store.list_entries(item_id=item_id)
    assert entry.state is S.RETRY_WAIT
    assert entry.next_attempt_at == datetime(2026, 11, 30, 8, 30, tzinfo=JST)


def test_one_channel_failing_never_reposts_the_others(
    ctx: AppContext, services: FakeServices
) -> None:
    item_id = queue(ctx, "x-city", "facebook", "line")
    services.facebook.fail_next(r"/feed$", 400, facebook_error(190), method="POST")
    Dispatcher(ctx).run_once()
    assert states(ctx, item_id) == {
        "x-city": S.PUBLISHED,
        "facebook": S.FAILED,
        "line": S.PUBLISHED,
    }
    failed = next(e for e in ctx.store.list_entries(item_id=item_id) if e.state is S.FAILED)
    assert "Facebook" in (failed.last_error or "")
    Dispatcher(ctx).run_once()
    assert len(services.x.tweets) == 1
    assert len(services.line.broadcasts) == 1


def test_missing_credentials_fail_with_a_clear_message(ctx: AppContext) -> None:
    ctx.secrets.delete_channel_credentials("x-mayor")
    item_id = queue(ctx, "x-mayor")
    Dispatcher(ctx).run_once()
    (entry,) = ctx.store.list_entries(item_id=item_id)
    assert entry.state is S.FAILED
    assert "credentials set x-mayor" in (entry.last_error or "")


def test_entries_left_sending_by_a_dead_dispatcher_are_never_resent_blindly(
    ctx: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    x_item = queue(ctx, "x-city")
    line_item = queue(ctx, "line")
    never_started = queue(ctx, "facebook")
    claimed = ctx.store.claim_due(clock.now(), "pc-that-crashed")
    assert len(claimed) == 3
    for entry in claimed:  # the requests of X and LINE had left when the PC died
        if entry.channel_key != "facebook":
            assert ctx.store.mark_request_started(entry.id, entry.version, clock.now())
    clock.advance(20 * 60)
    Dispatcher(ctx).run_once()
    assert states(ctx, x_item) == {"x-city": S.UNKNOWN}
    assert states(ctx, line_item) == {"line": S.PUBLISHED}  # the retry key makes it safe
    assert states(ctx, never_started) == {"facebook": S.PUBLISHED}  # never sent: just sent
    assert services.x.tweets == []
    assert len(services.facebook.posts) == 1


def test_heartbeat_shows_a_live_dispatcher(ctx: AppContext) -> None:
    from kodaira_desktop.services import queries

    dispatcher = Dispatcher(ctx)
    dispatcher.run_once()
    assert [h.host_id for h in queries.live_dispatchers(ctx)] == [dispatcher.host]
    dispatcher.close()
    assert queries.live_dispatchers(ctx) == []


def test_overdue_entries_raise_the_alarm(ctx: AppContext, clock: FakeClock) -> None:
    from kodaira_desktop.services import queries

    queue(ctx, "line")
    clock.advance(4 * 60)
    assert queries.overdue_entries(ctx) == []
    clock.advance(2 * 60)
    assert len(queries.overdue_entries(ctx)) == 1


def test_run_forever_wakes_when_the_next_entry_is_due_and_stops_cleanly(
    office: AppContext, services: FakeServices
) -> None:
    live = AppContext.create(
        database=office.database_url,
        login=office.login,
        clock=ShiftedClock(datetime(2026, 11, 25, 10, 0, tzinfo=JST)),
    )
    live.__dict__["endpoints"] = services.endpoints
    live.secrets.set_channel_credentials("line", services.credentials["line"])
    item_id = queue(live, "line", at=live.clock.now() + timedelta(seconds=1.5))
    stop = threading.Event()
    dispatcher = Dispatcher(live)
    worker = threading.Thread(target=dispatcher.run_forever, args=(stop,))
    worker.start()
    try:
        deadline = datetime.now().timestamp() + 20
        while states(live, item_id)["line"] is not S.PUBLISHED:
            assert datetime.now().timestamp() < deadline, "not published in time"
            stop.wait(0.1)
    finally:
        stop.set()
        worker.join(timeout=10)
        live.close()
    assert not worker.is_alive()
    assert len(services.line.broadcasts) == 1


def test_wakeup_arithmetic() -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=JST)
    assert seconds_until(now, None, resync=30) == 30
    assert seconds_until(now, now + timedelta(seconds=5), resync=30) == 5
    assert seconds_until(now, now - timedelta(seconds=5), resync=30) == 0
    assert timer_ms(40 * 86400) == 2**31 - 1  # Qt's timer cap
    detector = JumpDetector(now, 100.0)
    assert detector.check(now + timedelta(seconds=10), 110.0) == 0.0
    assert detector.check(now + timedelta(hours=2), 120.0) == pytest.approx(
        7180.0
    )  # 7,190 s of wall time in 10 s


def test_an_entry_queued_while_the_dispatcher_sleeps_goes_out_within_a_second(
    office: AppContext, services: FakeServices
) -> None:
    live = AppContext.create(
        database=office.database_url,
        login=office.login,
        clock=ShiftedClock(datetime(2026, 11, 25, 10, 0, tzinfo=JST)),
    )
    live.__dict__["endpoints"] = services.endpoints
    live.secrets.set_channel_credentials("line", services.credentials["line"])
    stop = threading.Event()
    worker = threading.Thread(target=Dispatcher(live).run_forever, args=(stop,))
    worker.start()
    try:
        stop.wait(0.3)  # asleep: nothing is due, the next look is 30 s away
        queue(live, "line")  # as from another PC: due now
        queued = time.monotonic()
        while not services.line.broadcasts:
            assert time.monotonic() - queued < 5, "not sent in time"
            stop.wait(0.01)
        assert time.monotonic() - queued < 1.5
    finally:
        stop.set()
        worker.join(timeout=10)
        live.close()
