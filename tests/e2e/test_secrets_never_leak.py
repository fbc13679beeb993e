"""After a full run with credentials set (all four services, through the fakes), no secret
is anywhere but the keyring: not in the database file, a database export, the logs, the audit
log or its export, the queue listing, nor any message the command line printed. A missing or
locked keyring gives a clear error and nothing is published."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from keyring.errors import KeyringLocked
from sqlalchemy import create_engine, inspect, text

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.security.keyring_backends import MemoryKeyring
from kodaira_desktop.security.secrets import SecretStore
from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatcher import Dispatcher
from tests.e2e.harness import CHIEF_PASSWORD, Cli
from tests.e2e.test_cli_publish import ALL_CHANNELS, configure
from tests.fakes import FakeServices
from tests.fakes.credentials import all_secret_values
from tests.office import clock, office
from tests.samples import mp4_bytes, png_bytes

__all__ = ["clock", "office"]

#: Each process's clock starts at the harness's MORNING when it starts: a dispatcher run a
#: little later in fake time sees what was just queued as due, however slow the machine.
LATER = "2026-11-25T10:05:00+09:00"


def everything_written(cli: Cli, outputs: list[str], tmp_path: Path) -> dict[str, bytes]:
    """Every place a secret could leak to, except the keyring folder itself."""
    places: dict[str, bytes] = {"cli output": "\n".join(outputs).encode("utf-8")}
    keyring = cli.home / "keyring"
    for path in cli.home.rglob("*"):
        if path.is_file() and keyring not in path.parents and not path.name.startswith("password-"):
            places[str(path)] = path.read_bytes()
    archive = tmp_path / "backup.zip"
    if archive.exists():
        with zipfile.ZipFile(archive) as zipped:
            for name in zipped.namelist():
                places[f"backup.zip:{name}"] = zipped.read(name)
    return places


def dump_every_table(url: str) -> bytes:
    """Every value of every table on the server, as text (a poor man's pg_dump)."""
    engine = create_engine(url)
    out = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                out.append(repr(tuple(row)))
    engine.dispose()
    return "\n".join(out).encode("utf-8")


@pytest.mark.slow
def test_no_secret_outside_the_keyring_after_a_full_run(
    cli: Cli, services: FakeServices, tmp_path: Path
) -> None:
    configure(cli, services)
    photo = cli.home / "festival.png"
    photo.write_bytes(png_bytes(40, 30))
    video = cli.home / "festival.mp4"
    video.write_bytes(mp4_bytes(payload_size=50_000))
    args = [arg for channel in ALL_CHANNELS for arg in ("--channel", channel)]
    outputs: list[str] = []

    def run(*argv: str, **kwargs: object) -> None:
        result = cli.run(*argv, **kwargs)  # type: ignore[arg-type]
        outputs.extend((result.stdout, result.stderr))

    run("queue", "add", *args, "--text", "小平市民まつり", "--title", "まつり",
        "--media", str(photo), str(video))  # fmt: skip
    run("dispatch", "--once", KODAIRA_FAKE_NOW=LATER)
    run("queue", "add", "--channel", "x-city", "--channel", "facebook", "--text", "二件目")
    services.x.fail_next(r"/2/tweets$", 401, {"title": "Unauthorized"})  # error paths too
    services.facebook.fail_next(r"/feed$", 500)
    run("dispatch", "--once", expect=None, KODAIRA_FAKE_NOW=LATER)
    run("queue", "list", "--json")
    run("queue", "list")
    for channel in ALL_CHANNELS:
        run("credentials", "check", channel, expect=None)
    run("doctor", expect=None)
    run("audit", "verify")
    run("audit", "export", "--output", str(cli.home / "audit.csv"))
    run("db", "export", "--output", str(tmp_path / "backup.zip"))
    run("channels", "list")
    run("users", "list")
    assert len(services.x.tweets) >= 2  # it did publish with those credentials
    assert services.line.broadcasts

    places = everything_written(cli, outputs, tmp_path)
    if cli.database_url.startswith("sqlite"):
        assert any(name.endswith(".sqlite3") for name in places)
    else:
        places["postgresql dump"] = dump_every_table(cli.database_url)
    assert any("kodaira-desktop.log" in name for name in places)
    assert "backup.zip:tables/audit_log.jsonl" in places
    secrets = {*all_secret_values(), CHIEF_PASSWORD}
    leaks = [
        (name, secret[:6] + "…")
        for name, data in places.items()
        for secret in secrets
        if secret.encode("utf-8") in data
    ]
    assert leaks == []


def test_a_missing_keyring_entry_is_a_clear_failure_and_nothing_is_sent(
    cli: Cli, services: FakeServices
) -> None:
    cli.setup_office()
    cli.run("queue", "add", "--channel", "x-city", "--channel", "line", "--text", "お知らせ")
    result = cli.run("dispatch", "--once", expect=1, KODAIRA_FAKE_NOW=LATER)
    assert "Traceback" not in result.stderr
    rows = cli.entries()
    assert {row["state"] for row in rows} == {"failed"}
    assert all("credentials set" in row["last_error"] for row in rows)
    assert services.x.tweets == []
    assert services.line.broadcasts == []
    assert services.x.requests == []
    assert services.line.requests == []


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the login keyring is locked")


def test_a_locked_keyring_sends_nothing_and_says_so(
    office: AppContext, services: FakeServices
) -> None:
    office.__dict__["endpoints"] = services.endpoints
    office.__dict__["secrets"] = SecretStore(LockedKeyring())
    item_id = compose.submit(
        office, compose.ComposeRequest(text="お知らせ", channels=("x-city", "facebook"))
    ).item_id
    report = Dispatcher(office).run_once()
    entries = office.store.list_entries(item_id=item_id)
    assert {e.state for e in entries} == {EntryState.RETRY_WAIT}  # tried again later
    assert all("ロックされています" in (e.last_error or "") for e in entries)
    assert len(report.retrying) == 2
    assert services.x.requests == []
    assert services.facebook.requests == []
