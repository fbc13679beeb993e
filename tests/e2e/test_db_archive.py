"""`db export` / `db import`: SQLite on one PC → a shared PostgreSQL server → back to SQLite,
with `audit verify` passing and `queue list --json` the same at every step."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.e2e.harness import CHIEF, CHIEF_PASSWORD, Cli
from tests.e2e.test_cli_publish import ALL_CHANNELS, configure
from tests.fakes import FakeServices
from tests.samples import mp4_bytes, png_bytes
from tests.support.postgres import PostgresServer


def pc(home: Path, url: str, services: FakeServices) -> Cli:
    home.mkdir(parents=True, exist_ok=True)
    return Cli(home=home, database_url=url, extra_env=services.env())


def fill(cli: Cli, services: FakeServices) -> None:
    """An office that has worked a while: published, scheduled and awaiting entries, media."""
    configure(cli, services)
    photo = cli.home / "festival.png"
    photo.write_bytes(png_bytes(40, 30))
    video = cli.home / "festival.mp4"
    video.write_bytes(mp4_bytes(payload_size=20_000))
    args = [arg for channel in ALL_CHANNELS for arg in ("--channel", channel)]
    cli.run("queue", "add", *args, "--text", "小平市民まつり", "--title", "まつり",
            "--media", str(photo), str(video))  # fmt: skip
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW="2026-11-25T10:05:00+09:00")
    cli.run("queue", "add", "--channel", "line", "--text", "来週のお知らせ",
            "--at", "2026-12-02T10:00:00+09:00")  # fmt: skip
    cli.request_emergency("x-city")


def listing(cli: Cli) -> str:
    return cli.run("queue", "list", "--json").stdout


def move(source: Cli, target: Cli, archive: Path) -> None:
    # IT installs the section's trust-root.toml on the new PC (it is never in the archive:
    # the root of trust is pinned outside the database).
    (target.home / "site").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(
        source.home / "site" / "trust-root.toml", target.home / "site" / "trust-root.toml"
    )
    result = source.run("db", "export", "--output", str(archive))
    assert "exported" in result.stdout
    imported = target.run("db", "import", str(archive))
    assert "imported" in imported.stdout
    assert target.run("audit", "verify").returncode == 0
    assert listing(target) == listing(source)


@pytest.mark.postgres
@pytest.mark.slow
def test_sqlite_to_postgresql_and_back(
    tmp_path: Path, services: FakeServices, postgres_server: PostgresServer
) -> None:
    first = pc(tmp_path / "pc", f"sqlite:///{tmp_path / 'pc.sqlite3'}", services)
    fill(first, services)
    name = postgres_server.create_database()
    try:
        shared = pc(tmp_path / "server", postgres_server.url(name), services)
        move(first, shared, tmp_path / "move.zip")
        # The new home works: the chief confirms with the same password, ids continue.
        shared.run("approvals", "approve", str(max(r["item_id"] for r in shared.entries())),
                   user=CHIEF, password=CHIEF_PASSWORD)  # fmt: skip
        added = shared.run("queue", "add", "--channel", "facebook", "--text", "移行後の投稿")
        assert int(added.stdout) > max(r["item_id"] for r in first.entries())
        assert shared.run("audit", "verify").returncode == 0
        back = pc(tmp_path / "restore", f"sqlite:///{tmp_path / 'r.sqlite3'}", services)
        move(shared, back, tmp_path / "nightly.zip")
        # The media files travelled: the restored queue can still send its video.
        media = list((tmp_path / "restore" / "data").rglob("*.mp4"))
        assert len(media) == 1
    finally:
        postgres_server.drop_database(name)


@pytest.mark.slow
def test_import_refuses_a_database_in_use_and_damaged_archives(
    tmp_path: Path, services: FakeServices
) -> None:
    source = pc(tmp_path / "a", f"sqlite:///{tmp_path / 'a.sqlite3'}", services)
    fill(source, services)
    archive = tmp_path / "backup.zip"
    source.run("db", "export", "--output", str(archive))
    # Into a database that holds data: refused, nothing changes.
    before = listing(source)
    refused = source.run("db", "import", str(archive), expect=2)
    assert "not empty" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert listing(source) == before

    target_file = tmp_path / "b.sqlite3"
    target = pc(tmp_path / "b", f"sqlite:///{target_file}", services)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as good, zipfile.ZipFile(damaged, "w") as bad:
        for item in good.infolist():
            data = good.read(item)
            if item.filename == "tables/entries.jsonl":
                data = data.replace(b'"published"', b'"scheduled"', 1)
            bad.writestr(item, data)
    for broken in (damaged, tmp_path / "missing.zip", source.home / "festival.png"):
        result = target.run("db", "import", str(broken), expect=2)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert json.loads(target.run("queue", "list", "--json").stdout) == []
    with sqlite3.connect(target_file) as db:
        assert db.execute("SELECT COUNT(*) FROM users").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone() == (0,)
    assert not list((tmp_path / "b" / "data").rglob("*.png"))
    target.run("db", "import", str(archive))  # the good one still goes in
    assert listing(target) == before
