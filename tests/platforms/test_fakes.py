"""The fakes themselves: clean shutdown and the fault switches' bookkeeping."""

from __future__ import annotations

import threading
import time

import httpx

from tests.fakes import FakeServices


def test_stop_leaves_no_threads_even_with_idle_keep_alive_connections() -> None:
    before = set(threading.enumerate())
    with FakeServices() as services, httpx.Client() as client:
        assert client.get(f"{services.line.url}/v2/bot/info").status_code == 401
        started = time.monotonic()
    assert time.monotonic() - started < 2
    assert set(threading.enumerate()) <= before


def test_faults_are_consumed_in_order_and_recorded() -> None:
    with FakeServices() as services, httpx.Client() as client:
        url = f"{services.line.url}/v2/bot/message/quota"
        services.line.fail_next("/quota$", 503, times=2)
        services.line.drop_before_processing("/quota$")
        statuses = [client.get(url).status_code for _ in range(2)]
        try:
            client.get(url)
            dropped = False
        except httpx.RemoteProtocolError:
            dropped = True
        last = client.get(url).status_code
    assert statuses == [503, 503]
    assert dropped
    assert last == 401  # no more faults: the real handler (no token given)
    outcomes = [r.outcome for r in services.line.requests_to("/quota$")]
    assert outcomes == ["failed", "failed", "dropped_before", "answered"]


def test_env_points_every_service_at_the_fakes() -> None:
    with FakeServices() as services:
        env = services.env()
    assert set(env) == {
        "KODAIRA_X_API_BASE",
        "KODAIRA_LINE_API_BASE",
        "KODAIRA_FACEBOOK_API_BASE",
        "KODAIRA_YOUTUBE_API_BASE",
        "KODAIRA_GOOGLE_TOKEN_URL",
    }
    assert all(value.startswith("http://127.0.0.1:") for value in env.values())
    assert env["KODAIRA_GOOGLE_TOKEN_URL"].endswith("/token")
