"""`kodaira-desktop dispatch` started while PostgreSQL is down waits for it (one line on
stderr), then publishes, and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Cli
from tests.fakes import FakeServices
from tests.support.postgres import ThrowawayCluster, find_bindir

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def cluster() -> Iterator[ThrowawayCluster]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries")
    own = ThrowawayCluster(bindir, durable=True)
    try:
        yield own
    finally:
        own.stop()


def test_a_dispatcher_started_before_the_server_waits_for_it(
    tmp_path: Path, services: FakeServices, cluster: ThrowawayCluster
) -> None:
    server = cluster.start()
    cli = Cli(home=tmp_path, database_url=server.url(server.create_database()),
              extra_env=services.env())  # fmt: skip
    cli.setup_office()
    cli.set_credentials("line", services.credentials["line"])
    cli.run("queue", "add", "--channel", "line", "--text", "停電のお知らせ")
    cluster.crash()
    log = (tmp_path / "dispatch.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "kodaira_desktop", "--user", "tanaka", "dispatch"],
        env=cli.env(), stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while "共有サーバーに接続できません" not in (tmp_path / "dispatch.log").read_text():
            assert process.poll() is None, (tmp_path / "dispatch.log").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(1)
        assert process.poll() is None  # still waiting, not gone
        cluster.start_again()
        deadline = time.monotonic() + 60
        while not services.line.broadcasts:
            assert process.poll() is None, (tmp_path / "dispatch.log").read_text()
            assert time.monotonic() < deadline, "not published after the server came back"
            time.sleep(0.3)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
        log.close()
    output = (tmp_path / "dispatch.log").read_text()
    assert code == 0, output
    assert "Traceback" not in output
    assert "dispatcher stopped" in output
    rows = json.loads(cli.run("queue", "list", "--json").stdout)
    assert [row["state"] for row in rows] == ["published"]
    assert len(services.line.broadcasts) == 1
