"""Four dispatcher processes, killed with SIGKILL at random, the database restarted mid-run:
every entry ends `published` or (only on X/Facebook, where a request may have left)
`unknown`; nothing is posted twice; nothing is lost.

CI runs 200 entries per backend; KODAIRA_CHAOS_FULL=1 runs 2,000 (by hand, figures in the
note): ``KODAIRA_CHAOS_FULL=1 .venv/bin/pytest tests/chaos -q -s``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chaos.runner import ChaosResult, ChaosSize, run_chaos
from tests.e2e.harness import Cli
from tests.fakes import FakeServices
from tests.support.postgres import ThrowawayCluster, find_bindir

pytestmark = pytest.mark.slow


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        yield fakes


def check(result: ChaosResult) -> None:
    print(result.figures())
    assert result.audit_ok, "audit verify failed after the chaos run"
    assert result.duplicates == 0, "an entry was posted twice"
    assert result.x_fb_requests_repeated == 0, "an X/Facebook request was sent twice"
    assert result.lost == [], f"entries neither published nor unknown: {result.lost[:5]}"
    assert result.unknown_on_wrong_platform == 0, "LINE/YouTube must resume, not be unknown"
    assert not result.notes, result.notes
    assert len(result.kills) >= 3
    held = [k for k in result.kills if k.claims > 0]
    assert all(k.recovered_after is not None and k.recovered_after < 60 for k in held), [
        (k.prefix, k.claims, k.recovered_after) for k in held
    ]


def test_chaos_on_sqlite(tmp_path: Path, services: FakeServices) -> None:
    cli = Cli(
        home=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        extra_env=services.env(),
        now="",
    )
    result = run_chaos("sqlite", cli, services, tmp_path, ChaosSize.from_env(), None, seed=12)
    check(result)


@pytest.mark.postgres
def test_chaos_on_postgresql_with_a_server_restart(tmp_path: Path, services: FakeServices) -> None:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries")
    cluster = ThrowawayCluster(bindir, durable=True)
    server = cluster.start()
    try:
        name = server.create_database()
        cli = Cli(home=tmp_path, database_url=server.url(name), extra_env=services.env(), now="")

        def restart(down_for: float) -> None:
            cluster.crash()
            time.sleep(down_for)
            cluster.start_again()

        result = run_chaos(
            "postgresql", cli, services, tmp_path, ChaosSize.from_env(), restart, seed=12
        )
        assert result.restarts == 1
        check(result)
    finally:
        cluster.stop()
