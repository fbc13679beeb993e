"""Issue 15, as the attacker: someone who can write the shared database (SQL straight into the
tables) tries to become a chief, re-pin the root, widen the window, and rewrite the audit.
Every test runs the real command line, on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kodaira_desktop.security import audit_chain, chief_keys
from tests.e2e.harness import CHIEF, CHIEF_PASSWORD, EVENING, MORNING, STAFF, Cli
from tests.fakes import FakeServices

ATTACKER_PASSWORD = "attacker-pass-1"
VICE, VICE_PASSWORD = "fuku", "vice-chief-pw1"


def sql(cli: Cli, statement: str, **params: Any) -> list[Any]:
    engine = sa.create_engine(cli.database_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as connection:
            result = connection.execute(sa.text(statement), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def trust_root_bytes(cli: Cli) -> bytes:
    return (cli.home / "site" / "trust-root.toml").read_bytes()


def audit_csv(cli: Cli) -> str:
    return cli.run("audit", "export", user=CHIEF).stdout


def configure(cli: Cli, services: FakeServices) -> None:
    cli.setup_office()
    cli.set_credentials("line", services.credentials["line"])


# -- finding 1: the database cannot re-open the first-chief bootstrap -------------------------


@pytest.mark.parametrize("erase", ["deactivate", "delete"])
def test_no_chief_in_the_database_does_not_repin_the_root(cli: Cli, erase: str) -> None:
    cli.setup_office()
    pinned = trust_root_bytes(cli)
    if erase == "deactivate":
        sql(cli, "UPDATE users SET active = :no WHERE role = 'chief'", no=False)
    else:
        sql(cli, "DELETE FROM users WHERE role = 'chief'")

    # users add as the first chief: no chief is active, but a root is pinned on this PC.
    added = cli.run(
        "users",
        "add",
        "mallory",
        "--role",
        "chief",
        user=STAFF,
        password=f"{ATTACKER_PASSWORD}\n{ATTACKER_PASSWORD}",
        expect=2,
    )
    assert "not a chief" in added.stderr
    init = cli.run("init", "--chief", "mallory", user=STAFF, password=ATTACKER_PASSWORD, expect=2)
    assert "root of trust is already pinned" in init.stderr
    assert trust_root_bytes(cli) == pinned
    logins = {row[0] for row in sql(cli, "SELECT login FROM users")}
    assert "mallory" not in logins


def test_repin_is_an_explicit_confirmed_and_audited_step(cli: Cli) -> None:
    cli.setup_office()
    pinned = trust_root_bytes(cli)
    refused = cli.run("init", "--repin", "--chief", "shin", user="shin", password="x", expect=2)
    assert "confirmation" in refused.stderr
    assert trust_root_bytes(cli) == pinned

    cli.run("init", "--repin", "--yes", "--chief", "shin", user="shin", password="shin-pass-1")
    assert trust_root_bytes(cli) != pinned
    assert 'chief_login = "shin"' in trust_root_bytes(cli).decode()
    assert "trust_root.repinned" in audit_csv(cli)
    # The new root chief acts; the old chain no longer counts on this PC.
    cli.run("users", "add", "suzuki", "--role", "staff", user="shin", password="shin-pass-1")
    old = cli.run(
        "users", "add", "sato", "--role", "staff", user=CHIEF, password=CHIEF_PASSWORD, expect=2
    )
    assert "does not chain" in old.stderr
    assert cli.run("audit", "verify").returncode == 0


# -- finding 3: role='chief' and a self-made key in one's own row count for nothing -----------


def test_a_self_made_chief_key_is_refused_for_every_chief_action(
    cli: Cli, services: FakeServices
) -> None:
    configure(cli, services)
    item = str(cli.request_emergency())
    material = chief_keys.generate_chief_key(ATTACKER_PASSWORD, cost=chief_keys.ScryptCost(n=1024))
    sql(
        cli,
        "UPDATE users SET role = 'chief', public_key = :pk, encrypted_private_key = :sk, "
        "kdf_params = :kdf WHERE login = :login",
        pk=material.public_key,
        sk=material.encrypted_private_key,
        kdf=json.dumps(dict(material.kdf_params)),
        login=STAFF,
    )
    policy = cli.home / "wide.toml"
    policy.write_text('[policy]\nstart = "00:00"\nend = "23:59"\n', encoding="utf-8")
    two = f"{ATTACKER_PASSWORD}\nnew-password-9"
    actions: list[tuple[tuple[str, ...], str, str | None]] = [
        (("users", "add", "mallory", "--role", "chief"), two, None),
        (("users", "designate", STAFF, "--channels", "x-city"), ATTACKER_PASSWORD, None),
        (("users", "passwd"), two, None),
        (("users", "deactivate", CHIEF), ATTACKER_PASSWORD, None),
        (("channels", "suspend", "line", "--reason", "r"), ATTACKER_PASSWORD, None),
        (("channels", "resume", "line"), ATTACKER_PASSWORD, None),
        (("credentials", "set", "line"), ATTACKER_PASSWORD, '{"channel_access_token": "t"}'),
        (("approvals", "approve", item), ATTACKER_PASSWORD, None),
        (("approvals", "reject", item, "--reason", "r"), ATTACKER_PASSWORD, None),
        (("policy", "set", str(policy)), ATTACKER_PASSWORD, None),
    ]
    for args, password, stdin in actions:
        refused = cli.run(*args, user=STAFF, password=password, stdin=stdin, expect=2)
        assert "is not a chief" in refused.stderr, args
        assert "does not chain" in refused.stderr, args
    trail = audit_csv(cli)
    assert trail.count("chief.refused") == len(actions)
    assert cli.entries()[0]["state"] == "awaiting_approval"
    assert "mallory" not in cli.run("users", "list").stdout
    assert 'start = "00:00"' not in cli.run("policy", "show").stdout


# -- issue 10 item 3: users deactivate, key revocation ----------------------------------------


def add_vice_chief(cli: Cli) -> None:
    both = cli.home / "passwords.txt"
    both.write_text(f"{CHIEF_PASSWORD}\n{VICE_PASSWORD}\n", encoding="utf-8")
    cli.run("--password-file", str(both), "users", "add", VICE, "--role", "chief", user=CHIEF)


def test_a_deactivated_chiefs_signatures_are_refused_even_written_into_the_database(
    cli: Cli, services: FakeServices
) -> None:
    configure(cli, services)
    add_vice_chief(cli)
    earlier = str(cli.request_emergency())
    cli.run("approvals", "approve", earlier, user=VICE, password=VICE_PASSWORD)
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    assert len(services.line.broadcasts) == 1

    cli.run("users", "deactivate", VICE, user=CHIEF, password=CHIEF_PASSWORD)
    listing = cli.run("users", "list").stdout
    assert f"{VICE}\tchief\t-\t{VICE}\tinactive" in listing
    assert f"{CHIEF}\tchief\t-\t{CHIEF}\tactive" in listing
    assert "revoked_fingerprint" in audit_csv(cli)
    assert len(sql(cli, "SELECT id FROM key_revocations")) == 1

    later = cli.request_emergency()
    refused = cli.run(
        "approvals", "approve", str(later), user=VICE, password=VICE_PASSWORD, expect=2
    )
    assert "deactivated" in refused.stderr

    # The departed chief still has the password and the encrypted key: they sign an approval
    # themselves, write it straight into the database and set themselves active again.
    forge_approval(cli, later, VICE, VICE_PASSWORD)
    sql(cli, "UPDATE users SET active = :yes WHERE login = :login", yes=True, login=VICE)
    sql(cli, "DELETE FROM key_revocations")  # this PC remembers the revocation anyway
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    states = {row["item_id"]: row["state"] for row in cli.entries()}
    assert states[later] == "held"
    assert len(services.line.broadcasts) == 1
    assert "override.refused" in audit_csv(cli)
    # The earlier approval, signed before the revocation, still verifies in the audit.
    verified = cli.run("audit", "verify").stdout
    assert "1 approval(s) verified" in verified
    assert f"items {later}" in verified


def forge_approval(cli: Cli, item_id: int, login: str, password: str) -> None:
    from kodaira_desktop.services import approvals
    from kodaira_desktop.store.engine import open_database
    from kodaira_desktop.store.repository import Store

    db = open_database(cli.database_url)
    try:
        store = Store(db)
        user = store.get_user_by_login(login)
        assert user is not None
        assert user.public_key is not None
        assert user.kdf_params
        material = chief_keys.ChiefKeyMaterial(
            user.public_key, user.encrypted_private_key or b"", json.loads(user.kdf_params)
        )
        key = chief_keys.unlock(material, password)
        item = store.get_item(item_id)
        (request,) = store.list_overrides(status="pending", item_id=item_id)
        assert item is not None
        when = request.window_start
        payload = approvals.signed_payload(item, request, login, when)
        assert store.decide_override(
            request.id,
            "approved",
            decided_by=login,
            decided_at=when,
            signature=key.sign(payload),
            payload_hash=hashlib.sha256(payload).hexdigest(),
        )
        for entry in item.entries:
            store.transition(entry.id, entry.state, entry.version, _scheduled())
    finally:
        db.dispose()


def _scheduled() -> Any:
    from kodaira_desktop.domain.states import EntryState

    return EntryState.SCHEDULED


def test_the_last_active_chief_cannot_be_deactivated(cli: Cli) -> None:
    cli.setup_office()
    last = cli.run("users", "deactivate", CHIEF, user=CHIEF, password=CHIEF_PASSWORD, expect=2)
    assert "last active chief" in last.stderr
    cli.run("users", "deactivate", STAFF, user=CHIEF, password=CHIEF_PASSWORD)
    assert f"{STAFF}\tstaff" in cli.run("users", "list").stdout
    gone = cli.run("queue", "add", "--channel", "line", "--text", "x", expect=2)
    assert "not a registered user" in gone.stderr
    again = cli.run("users", "deactivate", STAFF, user=CHIEF, password=CHIEF_PASSWORD, expect=2)
    assert "already deactivated" in again.stderr


# -- finding 5: the dispatcher's clock and policy are not the environment's --------------------


def test_a_fake_clock_never_publishes_to_a_real_service(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.run("queue", "add", "--channel", "line", "--text", "お知らせ", "--at", MORNING)
    refused = cli.run(
        "dispatch",
        "--once",
        expect=2,
        KODAIRA_X_API_BASE="https://api.x.com",
        KODAIRA_FAKE_NOW=MORNING,
    )
    assert "KODAIRA_FAKE_NOW" in refused.stderr
    assert "https://api.x.com" in refused.stderr
    assert cli.entries()[0]["state"] == "scheduled"
    assert services.line.broadcasts == []


def wide_policy(cli: Cli) -> Path:
    path = cli.home / "always.toml"
    path.write_text(
        "[policy]\n"
        'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
        'start = "00:00"\nend = "23:59"\nyear_end_closure = []\nholidays = "none"\n',
        encoding="utf-8",
    )
    return path


def test_a_local_24_hour_policy_on_a_dispatching_pc_publishes_nothing_out_of_hours(
    cli: Cli, services: FakeServices
) -> None:
    configure(cli, services)
    wide = str(wide_policy(cli))
    refused = cli.run(
        "queue",
        "add",
        "--channel",
        "line",
        "--text",
        "x",
        "--at",
        EVENING,
        expect=2,
        KODAIRA_POLICY=wide,
    )
    assert "outside the posting window" in refused.stderr
    cli.run(
        "queue", "add", "--channel", "line", "--text", "夕方", "--at", "2026-11-25T17:00:00+09:00"
    )
    cli.run("dispatch", "--once", KODAIRA_POLICY=wide, KODAIRA_FAKE_NOW=EVENING)
    assert cli.entries()[0]["state"] == "held"
    assert services.line.broadcasts == []
    doctor = cli.run("doctor", expect=None, KODAIRA_POLICY=wide).stdout
    assert "preview only" in doctor


def test_policy_show_and_set_keep_the_signed_policy_in_the_database(cli: Cli) -> None:
    cli.setup_office()
    shown = cli.run("policy", "show").stdout
    assert 'start = "08:30"' in shown
    closed = cli.home / "closed.toml"
    closed.write_text('[policy]\nextra_closed_days = ["2026-11-26"]\n', encoding="utf-8")
    cli.run("policy", "set", str(closed), user=CHIEF, password=CHIEF_PASSWORD)
    assert "2026-11-26" in cli.run("policy", "show").stdout
    refused = cli.run(
        "queue",
        "add",
        "--channel",
        "line",
        "--text",
        "x",
        "--at",
        "2026-11-26T10:00:00+09:00",
        expect=2,
    )
    assert "closed_day" in refused.stderr
    assert "policy.set" in audit_csv(cli)


def test_a_forged_policy_row_stops_publishing(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.run("queue", "add", "--channel", "line", "--text", "x", "--at", MORNING)
    sql(cli, "UPDATE policies SET body = :body", body=wide_policy(cli).read_text("utf-8"))
    forged = cli.run("dispatch", "--once", expect=2, KODAIRA_FAKE_NOW=EVENING)
    assert "not signed by a chief" in forged.stderr
    assert cli.run("policy", "show", expect=2).returncode == 2
    assert services.line.broadcasts == []


def test_a_rolled_back_policy_stops_publishing(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.run("queue", "add", "--channel", "line", "--text", "x", "--at", MORNING)
    closed = cli.home / "closed.toml"
    closed.write_text('[policy]\nextra_closed_days = ["2026-11-26"]\n', encoding="utf-8")
    cli.run("policy", "set", str(closed), user=CHIEF, password=CHIEF_PASSWORD)
    # Deleting the newer version brings back version 1, validly signed but older.
    sql(cli, "DELETE FROM policies WHERE version = 2")
    rolled = cli.run("dispatch", "--once", expect=2, KODAIRA_FAKE_NOW=MORNING)
    assert "rolled back" in rolled.stderr
    assert services.line.broadcasts == []
    assert cli.entries()[0]["state"] == "scheduled"


# -- finding 6: a consistent rewrite of the audit chain is detected ----------------------------


def rewrite_chain(cli: Cli, change: dict[int, str], keep: int | None = None) -> None:
    """The 14-line attack: edit rows, recompute every hash and the head, straight in SQL."""
    from kodaira_desktop.store.engine import open_database
    from kodaira_desktop.store.repository import Store

    db = open_database(cli.database_url)
    try:
        rows = list(Store(db).iter_audit())
    finally:
        db.dispose()
    if keep is not None:
        sql(cli, "DELETE FROM audit_log WHERE seq > :keep", keep=keep)
        rows = rows[:keep]
    prev = audit_chain.GENESIS_HASH
    for row in rows:
        actor = change.get(row.seq, row.actor)
        details = json.loads(row.details)
        digest = audit_chain.compute_hash(
            prev, row.seq, row.at, actor, row.action, row.target, details
        )
        sql(
            cli,
            "UPDATE audit_log SET actor = :actor, prev_hash = :prev, hash = :h WHERE seq = :seq",
            actor=actor,
            prev=prev,
            h=digest,
            seq=row.seq,
        )
        prev = digest
    sql(cli, "UPDATE audit_head SET last_seq = :seq, last_hash = :h", seq=rows[-1].seq, h=prev)


def test_a_consistently_rewritten_audit_chain_is_detected(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.request_emergency()
    assert cli.run("audit", "verify").returncode == 0
    rewrite_chain(cli, {2: "someone-else"})
    # The app goes on appending on top of the rewritten chain: the anchor does not follow it.
    cli.run("queue", "add", "--channel", "line", "--text", "お知らせ", "--at", MORNING)
    broken = cli.run("audit", "verify", expect=1)
    assert "Rewritten" in broken.stdout


def test_a_truncated_audit_chain_is_detected(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.request_emergency()
    assert cli.run("audit", "verify").returncode == 0
    rewrite_chain(cli, {}, keep=3)
    broken = cli.run("audit", "verify", expect=1)
    assert "Truncated" in broken.stdout
