"""A small office for use-case tests: a chief, a staff member, a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import accounts
from kodaira_desktop.services.context import AppContext

JST = ZoneInfo("Asia/Tokyo")
CHIEF, CHIEF_PASSWORD, STAFF = "kacho", "kacho-password-1", "tanaka"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 25, 10, 0, tzinfo=JST))  # a Wednesday morning


@pytest.fixture
def office(database_url: str, clock: FakeClock) -> Iterator[AppContext]:
    """A database with a chief and a staff member designated for every channel; the context
    acts as the staff member."""
    chief = AppContext.create(database=database_url, login=CHIEF, clock=clock)
    accounts.initialize(chief, CHIEF, CHIEF_PASSWORD, "課長")
    accounts.add_user(
        chief,
        STAFF,
        "staff",
        "x-city,x-mayor,line,facebook,youtube",
        display_name="田中",
        chief_password=CHIEF_PASSWORD,
        new_password=None,
    )
    chief.close()
    staff = AppContext.create(database=database_url, login=STAFF, clock=clock)
    yield staff
    staff.close()
