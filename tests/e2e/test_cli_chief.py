"""The chief's confirmation through the command line: emergency overrides, forged approvals,
lockout, the audit chain and channel suspension."""

from __future__ import annotations

import sqlalchemy as sa

from tests.e2e.harness import CHIEF, CHIEF_PASSWORD, EVENING, STAFF, Cli
from tests.fakes import FakeServices


def configure(cli: Cli, services: FakeServices) -> None:
    cli.setup_office()
    cli.set_credentials("line", services.credentials["line"])


def sql(cli: Cli, statement: str) -> None:
    engine = sa.create_engine(cli.database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def test_emergency_override_approved_is_published_outside_the_window(
    cli: Cli, services: FakeServices
) -> None:
    configure(cli, services)
    item = cli.request_emergency()
    assert cli.entries()[0]["state"] == "awaiting_approval"
    assert "台風による避難情報" in cli.run("approvals", "list", user=CHIEF).stdout

    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    assert services.line.broadcasts == []  # not before the chief confirms

    cli.run("approvals", "approve", str(item), user=CHIEF, password=CHIEF_PASSWORD)
    assert cli.entries()[0]["state"] == "scheduled"
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    assert cli.entries()[0]["state"] == "published"
    assert len(services.line.broadcasts) == 1
    assert cli.run("audit", "verify").returncode == 0


def test_rejected_request_is_held_with_the_chiefs_reason(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    item = cli.request_emergency()
    cli.run(
        "approvals",
        "reject",
        str(item),
        "--reason",
        "明朝の通常投稿で十分です",
        user=CHIEF,
        password=CHIEF_PASSWORD,
    )
    (row,) = cli.entries()
    assert row["state"] == "held"
    assert "明朝の通常投稿で十分です" in row["last_error"]
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    assert services.line.broadcasts == []


def test_an_unanswered_request_expires(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    item = cli.request_emergency()
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW="2026-11-25T21:00:00+09:00")
    (row,) = cli.entries()
    assert row["state"] == "held"
    assert "期限" in row["last_error"]
    late = cli.run("approvals", "approve", str(item), user=CHIEF, password=CHIEF_PASSWORD, expect=2)
    assert "no emergency request" in late.stderr


def test_approval_expires_if_not_used_within_its_window(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    item = cli.request_emergency()
    cli.run("approvals", "approve", str(item), user=CHIEF, password=CHIEF_PASSWORD)
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW="2026-11-25T21:00:00+09:00")
    assert cli.entries()[0]["state"] == "held"
    assert services.line.broadcasts == []


def test_a_forged_approval_row_is_refused_and_audited(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.request_emergency()
    # A staff member with database access writes "approved" straight into the tables.
    sql(
        cli,
        "UPDATE override_requests SET status = 'approved', decided_by = 'kacho', "
        "decided_at = requested_at, signature = NULL",
    )
    sql(cli, "UPDATE entries SET state = 'scheduled', version = version + 1")
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    assert cli.entries()[0]["state"] == "held"
    assert services.line.broadcasts == []
    assert "override.refused" in cli.run("audit", "export", user=CHIEF).stdout


def test_an_edit_after_approval_voids_it(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    item = cli.request_emergency()
    cli.run("approvals", "approve", str(item), user=CHIEF, password=CHIEF_PASSWORD)
    sql(cli, "UPDATE items SET text = '別の内容に差し替え', version = version + 1")
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    (row,) = cli.entries()
    assert row["state"] == "held"
    assert "変更" in row["last_error"]
    assert services.line.broadcasts == []
    assert "override.refused" in cli.run("audit", "export", user=CHIEF).stdout


def test_staff_cannot_approve(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    item = cli.request_emergency()
    refused = cli.run("approvals", "approve", str(item), user=STAFF, password="anything", expect=2)
    assert "not a chief" in refused.stderr
    assert cli.entries()[0]["state"] == "awaiting_approval"


def test_wrong_passwords_lock_the_chief_for_ten_minutes(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    item = cli.request_emergency()
    for _ in range(5):
        wrong = cli.run("approvals", "approve", str(item), user=CHIEF, password="guess", expect=1)
        assert "wrong password" in wrong.stderr
    locked = cli.run(
        "approvals", "approve", str(item), user=CHIEF, password=CHIEF_PASSWORD, expect=1
    )
    assert "locked" in locked.stderr
    assert cli.entries()[0]["state"] == "awaiting_approval"
    audit_csv = cli.run("audit", "export", user=CHIEF).stdout
    assert audit_csv.count("chief.password_wrong") == 5
    assert "chief.confirm_locked" in audit_csv
    cli.run(
        "approvals",
        "approve",
        str(item),
        user=CHIEF,
        password=CHIEF_PASSWORD,
        KODAIRA_FAKE_NOW="2026-11-25T10:11:00+09:00",
    )
    assert cli.entries()[0]["state"] == "scheduled"


def test_a_tampered_audit_row_is_detected(cli: Cli, services: FakeServices) -> None:
    configure(cli, services)
    cli.request_emergency()
    assert cli.run("audit", "verify").returncode == 0
    sql(cli, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
    broken = cli.run("audit", "verify", expect=1)
    assert "seq 2" in broken.stderr


def test_a_suspended_channel_holds_its_entries_and_resume_releases_them(
    cli: Cli, services: FakeServices
) -> None:
    configure(cli, services)
    cli.run(
        "queue",
        "add",
        "--channel",
        "line",
        "--text",
        "お知らせ",
        "--at",
        "2026-11-25T11:00:00+09:00",
    )
    cli.run(
        "channels",
        "suspend",
        "line",
        "--reason",
        "誤情報の拡散のため",
        user=CHIEF,
        password=CHIEF_PASSWORD,
    )
    assert cli.entries()[0]["state"] == "held"
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW="2026-11-25T11:30:00+09:00")
    assert services.line.broadcasts == []
    cli.run(
        "channels",
        "resume",
        "line",
        user=CHIEF,
        password=CHIEF_PASSWORD,
        KODAIRA_FAKE_NOW="2026-11-25T18:00:00+09:00",
    )
    (row,) = cli.entries()
    assert row["state"] == "scheduled"
    assert row["scheduled_at"] == "2026-11-26T08:30:00+09:00"  # re-checked against the policy
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW="2026-11-26T08:30:00+09:00")
    assert len(services.line.broadcasts) == 1
