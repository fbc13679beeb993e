from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Cli
from tests.fakes import FakeServices


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        yield fakes


@pytest.fixture
def cli(tmp_path: Path, database_url: str, services: FakeServices) -> Cli:
    return Cli(home=tmp_path, database_url=database_url, extra_env=services.env())
