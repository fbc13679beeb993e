"""Fixtures for the security tests: cheap KDF cost, an isolated keyring, a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from kodaira_desktop.security import keyring_backends
from kodaira_desktop.security.chief_keys import ScryptCost

# 2**10 instead of 2**15: about 3 ms per derivation instead of about 80 ms.
CHEAP_COST = ScryptCost(n=2**10, r=8, p=1)


@pytest.fixture(autouse=True)
def _isolated_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the machine's keyring: every SecretStore() here uses a fresh memory one."""
    monkeypatch.setenv("KODAIRA_KEYRING", "memory")
    keyring_backends.reset_shared_memory_keyring()
    yield
    keyring_backends.reset_shared_memory_keyring()


@pytest.fixture
def cheap_cost() -> ScryptCost:
    return CHEAP_COST


@dataclass
class FakeClock:
    now: datetime

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 11, 25, 1, 0, tzinfo=UTC))
