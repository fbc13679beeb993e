"""Pacing under the services' rate limits: the bucket on a fake clock, then the dispatcher
against fakes that answer 429 past the limit, as the real services do."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.dispatch.pacing import (
    DOCUMENTED_LIMITS,
    Pacer,
    RateLimit,
    TokenBucket,
    pacing_message,
)
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatcher import Dispatcher
from tests.fakes import FakeServices
from tests.fakes.server import RecordedRequest
from tests.office import JST

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=JST)
MINUTE = timedelta(minutes=1)


def test_the_documented_limits() -> None:
    assert DOCUMENTED_LIMITS["x"] == RateLimit(100, timedelta(minutes=15))
    assert DOCUMENTED_LIMITS["line"] == RateLimit(60, timedelta(hours=1))
    assert "facebook" not in DOCUMENTED_LIMITS


def test_a_full_bucket_hands_out_the_next_slots_in_order() -> None:
    bucket = TokenBucket(RateLimit(3, 10 * MINUTE))
    assert [bucket.reserve(T0) for _ in range(3)] == [T0, T0, T0]
    assert bucket.available(T0) == 0
    assert bucket.reserve(T0) == T0 + 10 * MINUTE
    assert bucket.reserve(T0 + MINUTE) == T0 + 10 * MINUTE
    assert bucket.reserve(T0 + 2 * MINUTE) == T0 + 10 * MINUTE
    assert bucket.reserve(T0 + 3 * MINUTE) == T0 + 20 * MINUTE
    assert bucket.available(T0 + 31 * MINUTE) == 3  # every token came back


def test_a_bucket_primed_with_recent_sends_counts_them() -> None:
    bucket = TokenBucket(RateLimit(2, 10 * MINUTE), taken=[T0 - 9 * MINUTE, T0 - MINUTE])
    assert bucket.reserve(T0) == T0 + MINUTE
    assert bucket.reserve(T0) == T0 + 9 * MINUTE


def test_no_window_ever_holds_more_than_the_capacity() -> None:
    rng = random.Random(7)
    limit = RateLimit(5, timedelta(minutes=15))
    bucket = TokenBucket(limit)
    now, sends = T0, []
    for _ in range(400):
        now += timedelta(seconds=rng.expovariate(1 / 60))
        sends.append(bucket.reserve(now))
    assert sends == sorted(sends)
    for i, start in enumerate(sends):
        inside = [s for s in sends[i:] if s < start + limit.window]
        assert len(inside) <= limit.capacity


def test_platforms_without_a_limit_are_never_paced() -> None:
    pacer = Pacer({"x": RateLimit(1, MINUTE)})
    assert [pacer.reserve("facebook", "facebook", T0) for _ in range(5)] == [T0] * 5
    assert pacer.reserve("x-city", "x", T0) == T0
    assert pacer.reserve("x-mayor", "x", T0) == T0  # one bucket per account
    assert pacer.reserve("x-city", "x", T0) == T0 + MINUTE


def test_the_message_says_when_it_will_go() -> None:
    assert pacing_message(datetime(2026, 11, 25, 10, 15, tzinfo=JST)) == (
        "送信数の上限のため 10:15 に送信します（11月25日）。"
    )
    assert "10:16" in pacing_message(datetime(2026, 11, 25, 10, 15, 30, tzinfo=JST))


# -- through the fakes -------------------------------------------------------------------

LIMITS = {"x": RateLimit(4, timedelta(minutes=15)), "line": RateLimit(3, timedelta(hours=1))}


@pytest.fixture
def services(clock: FakeClock) -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        x_limit = LIMITS["x"]
        fakes.x.enforce_limit(
            r"^/2/tweets$",
            x_limit.capacity,
            x_limit.window.total_seconds(),
            now=lambda: clock.now().timestamp(),
            account=oauth_token,
        )
        line_limit = LIMITS["line"]
        fakes.line.enforce_limit(
            r"/broadcast$",
            line_limit.capacity,
            line_limit.window.total_seconds(),
            now=lambda: clock.now().timestamp(),
        )
        yield fakes


def oauth_token(request: RecordedRequest) -> str:
    found = re.search(r'oauth_token="([^"]*)"', request.header("authorization") or "")
    return found.group(1) if found else ""


@pytest.fixture
def ctx(office: AppContext, services: FakeServices) -> AppContext:
    for key, fields in services.credentials.items():
        office.secrets.set_channel_credentials(key, fields)
    office.__dict__["endpoints"] = services.endpoints
    return office


def test_the_fakes_do_answer_429_past_their_limit(ctx: AppContext, services: FakeServices) -> None:
    for n in range(6):
        compose.submit(ctx, compose.ComposeRequest(text=f"お知らせ {n}", channels=("x-city",)))
    report = Dispatcher(ctx, pacer=Pacer({})).run_once()  # pacing off
    assert len(report.published) == 4
    assert services.x.limited == 2


def test_paced_sends_provoke_no_429_and_say_when_they_go(
    ctx: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    for n in range(6):
        channels = ("x-city", "x-mayor", "line") if n < 5 else ("x-city",)
        compose.submit(ctx, compose.ComposeRequest(text=f"お知らせ {n}", channels=channels))
    dispatcher = Dispatcher(ctx, pacer=Pacer(LIMITS))
    first = dispatcher.run_once()
    assert len(first.published) == 4 + 4 + 3
    assert len(first.paced) == 2 + 1 + 2
    waiting = ctx.store.list_entries(states=[EntryState.RETRY_WAIT])
    assert {e.last_error for e in waiting if e.channel_key == "x-mayor"} == {
        "送信数の上限のため 10:15 に送信します（11月25日）。"
    }
    assert all(e.attempts == 0 for e in waiting)
    assert services.x.limited == services.line.limited == 0

    clock.advance(15 * 60)
    assert len(dispatcher.run_once().published) == 3  # X's tokens came back; LINE's not yet
    clock.advance(45 * 60)
    assert len(dispatcher.run_once().published) == 2
    assert services.x.limited == services.line.limited == 0
    assert not ctx.store.list_entries(states=[EntryState.RETRY_WAIT])
    assert len(services.x.requests_to(r"^/2/tweets$")) == 11
