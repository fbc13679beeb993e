from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kodaira_desktop.security.lockout import LockoutPolicy, is_locked, remaining

from .conftest import FakeClock


def _fail(
    policy: LockoutPolicy, state: tuple[int, datetime | None], now: datetime
) -> tuple[int, datetime | None]:
    return policy.next_state(*state, now, success=False)


def test_five_wrong_passwords_lock_for_ten_minutes(clock: FakeClock) -> None:
    policy = LockoutPolicy()
    state: tuple[int, datetime | None] = (0, None)
    for attempt in range(1, 5):
        state = _fail(policy, state, clock.advance(seconds=10))
        assert state == (attempt, None)
        assert policy.attempts_left(state[0]) == 5 - attempt
    state = _fail(policy, state, clock.advance(seconds=10))
    assert state == (5, clock.now + timedelta(minutes=10))
    assert is_locked(state[1], clock.now)
    assert remaining(state[1], clock.now) == timedelta(minutes=10)

    # While locked even the right password changes nothing.
    clock.advance(minutes=9, seconds=59)
    assert policy.is_locked(state[1], clock.now)
    assert policy.next_state(*state, clock.now, success=True) == state
    assert _fail(policy, state, clock.now) == state

    clock.advance(seconds=1)
    assert not is_locked(state[1], clock.now)
    assert remaining(state[1], clock.now) == timedelta(0)
    assert policy.next_state(*state, clock.now, success=True) == (0, None)


def test_a_failure_after_the_lock_expires_starts_a_fresh_count(clock: FakeClock) -> None:
    policy = LockoutPolicy()
    locked = (5, clock.now + timedelta(minutes=10))
    assert _fail(policy, locked, clock.advance(minutes=11)) == (1, None)


def test_success_resets_the_count(clock: FakeClock) -> None:
    policy = LockoutPolicy(max_attempts=3, lock_minutes=1)
    state = _fail(policy, _fail(policy, (0, None), clock.now), clock.now)
    assert policy.next_state(*state, clock.now, success=True) == (0, None)


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        LockoutPolicy().next_state(0, None, datetime(2025, 1, 1), success=False)
