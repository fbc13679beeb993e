"""The chief's administration commands: designations, password change, doctor."""

from __future__ import annotations

from tests.e2e.harness import CHIEF, CHIEF_PASSWORD, EVENING, STAFF, Cli
from tests.fakes import FakeServices


def test_designations_decide_where_staff_may_post(cli: Cli) -> None:
    cli.setup_office(channels="line")
    cli.run("queue", "add", "--channel", "facebook", "--text", "x", expect=2)
    cli.run(
        "users",
        "designate",
        STAFF,
        "--channels",
        "line,facebook",
        user=CHIEF,
        password=CHIEF_PASSWORD,
    )
    assert f"{STAFF}\tstaff\tfacebook,line" in cli.run("users", "list").stdout
    cli.run("queue", "add", "--channel", "facebook", "--text", "x")
    audit_csv = cli.run("audit", "export", user=CHIEF).stdout
    assert "user.designations_changed" in audit_csv


def test_a_chief_changes_their_password(cli: Cli) -> None:
    cli.setup_office()
    both = cli.home / "passwords.txt"
    both.write_text(f"{CHIEF_PASSWORD}\nnew-secret-2027\n", encoding="utf-8")
    cli.run("--password-file", str(both), "users", "passwd", user=CHIEF)
    cli.run(
        "users", "add", "suzuki", "--role", "staff", user=CHIEF, password=CHIEF_PASSWORD, expect=1
    )
    cli.run("users", "add", "suzuki", "--role", "staff", user=CHIEF, password="new-secret-2027")
    assert "suzuki" in cli.run("users", "list").stdout


def test_a_second_chief_is_endorsed_by_the_first(cli: Cli, services: FakeServices) -> None:
    cli.setup_office()
    cli.set_credentials("line", services.credentials["line"])
    both = cli.home / "passwords.txt"
    both.write_text(f"{CHIEF_PASSWORD}\nvice-chief-pw1\n", encoding="utf-8")
    cli.run("--password-file", str(both), "users", "add", "fuku", "--role", "chief", user=CHIEF)
    item = str(cli.request_emergency())
    cli.run("approvals", "approve", item, user="fuku", password="vice-chief-pw1")
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    assert cli.entries()[0]["state"] == "published"


def test_approvals_on_a_pc_without_the_pinned_root_are_not_trusted(
    cli: Cli, services: FakeServices
) -> None:
    cli.setup_office()
    cli.set_credentials("line", services.credentials["line"])
    item = str(cli.request_emergency())
    cli.run("approvals", "approve", item, user=CHIEF, password=CHIEF_PASSWORD)
    other_pc = cli.home / "other-pc-site-config"
    # Without the root this PC cannot verify the signed policy either: it refuses to dispatch
    # at all (exit 2, saying why) and leaves the entry as it was.
    refused = cli.run(
        "dispatch",
        "--once",
        expect=2,
        KODAIRA_FAKE_NOW=EVENING,
        KODAIRA_SITE_CONFIG_DIR=str(other_pc),
        KODAIRA_CONFIG_DIR=str(other_pc),
    )
    assert "no valid posting policy" in refused.stderr
    assert cli.entries()[0]["state"] == "scheduled"
    assert services.line.broadcasts == []
    doctor = cli.run(
        "doctor", expect=1, KODAIRA_SITE_CONFIG_DIR=str(other_pc), KODAIRA_CONFIG_DIR=str(other_pc)
    )
    assert "root of trust" in doctor.stdout


def test_doctor_reports_missing_credentials_and_reachable_services(
    cli: Cli, services: FakeServices
) -> None:
    cli.setup_office()
    cli.set_credentials("line", services.credentials["line"])
    report = cli.run("doctor", expect=1).stdout
    assert "OK  service line" in report
    assert "NG  credentials x-city" in report
    assert "credentials set x-city" in report
    assert "OK  database" in report


def test_the_machine_wide_config_chooses_the_database_and_doctor_says_so(cli: Cli) -> None:
    site = cli.home / "site"
    site.mkdir()
    shared = cli.home / "shared db.sqlite3"
    url = f"sqlite:///{shared.as_posix()}"
    (site / "config.toml").write_text(
        f'database_url = "{url}"\ndispatch = false\n', encoding="utf-8"
    )
    cli.run("init", "--chief", CHIEF, user=CHIEF, password=CHIEF_PASSWORD, KODAIRA_DATABASE_URL="")
    assert shared.exists()
    report = cli.run("doctor", expect=None, KODAIRA_DATABASE_URL="").stdout
    assert f"setting database_url: from {site / 'config.toml'}" in report
    assert f"setting dispatch: false from {site / 'config.toml'}" in report
    assert "shared db.sqlite3" in report
    env_report = cli.run("doctor", expect=None).stdout
    assert "setting database_url: from environment KODAIRA_DATABASE_URL" in env_report
    (site / "config.toml").write_text("dispatch = 'yes'\n", encoding="utf-8")
    refused = cli.run("queue", "list", expect=2)
    assert "dispatch must be true or false" in refused.stderr
