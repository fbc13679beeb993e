"""The 管理 tab's use cases, on SQLite and on PostgreSQL: display names, credentials saved
and checked live (the X handle kept for previews), and the dispatching PCs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import accounts, admin, queries
from kodaira_desktop.services.context import AppContext, ServiceError
from tests.fakes.services import FakeServices
from tests.office import CHIEF, CHIEF_PASSWORD, STAFF


@pytest.fixture
def chief(office: AppContext, clock: FakeClock) -> Iterator[AppContext]:
    context = AppContext.create(database=office.database_url, login=CHIEF, clock=clock)
    yield context
    context.close()


@pytest.fixture
def services(chief: AppContext) -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        chief.__dict__["endpoints"] = fakes.endpoints
        yield fakes


def test_a_chief_adds_staff_with_channels_and_renames_them(chief: AppContext) -> None:
    with pytest.raises(ServiceError):
        accounts.add_user(
            chief,
            "suzuki",
            "staff",
            ["line"],
            display_name="鈴木",
            chief_password="wrong-password",
            new_password=None,
        )
    assert chief.store.get_user_by_login("suzuki") is None
    accounts.add_user(
        chief,
        "suzuki",
        "staff",
        ["line", "facebook"],
        display_name="鈴木",
        chief_password=CHIEF_PASSWORD,
        new_password=None,
    )
    with pytest.raises(ServiceError, match="パスワード"):
        admin.set_display_name(chief, "suzuki", "鈴木 次郎", "wrong-password")
    with pytest.raises(ServiceError, match="1〜255文字"):
        admin.set_display_name(chief, "suzuki", "   ", CHIEF_PASSWORD)
    renamed = admin.set_display_name(chief, "suzuki", " 鈴木　 次郎 ", CHIEF_PASSWORD)
    assert renamed.display_name == "鈴木 次郎"
    stored = chief.store.get_user_by_login("suzuki")
    assert stored is not None
    assert (stored.display_name, stored.channels) == ("鈴木 次郎", {"line", "facebook"})
    assert queries.audit_rows(chief, action_prefix="user.renamed")[-1].target == "suzuki"


def test_staff_cannot_rename_or_check(office: AppContext) -> None:
    with pytest.raises(ServiceError):
        admin.set_display_name(office, STAFF, "田中 花子", CHIEF_PASSWORD)
    with pytest.raises(ServiceError):
        admin.check_and_record(office, "x-city")


def test_credentials_saved_and_checked_keep_the_handle(
    chief: AppContext, services: FakeServices
) -> None:
    before = {s.channel.key: s for s in admin.credential_statuses(chief)}
    assert not before["x-city"].saved
    assert before["x-city"].saved_at is None
    assert before["x-city"].fields.required == (
        "api_key",
        "api_secret",
        "access_token",
        "access_token_secret",
    )

    outcome = admin.save_and_check(chief, "x-city", services.credentials["x-city"], CHIEF_PASSWORD)
    assert outcome.check is not None
    assert outcome.check.handle == "@kodaira_koho"
    channel = chief.store.get_channel("x-city")
    assert channel is not None
    assert channel.handle == "@kodaira_koho"
    after = {s.channel.key: s for s in admin.credential_statuses(chief)}
    assert after["x-city"].saved
    assert after["x-city"].saved_by == CHIEF
    assert after["x-city"].account == "小平市 (@kodaira_koho)"
    assert after["x-city"].check_error is None

    line = admin.save_and_check(chief, "line", services.credentials["line"], CHIEF_PASSWORD)
    assert line.check is not None
    assert line.check.handle is None
    assert line.check.account == "小平市 (@kodairacity)"

    services.x.fail_next(r"/2/users/me", 401, {"title": "Unauthorized"})
    with pytest.raises(ServiceError, match="Xの認証に失敗しました"):
        admin.check_and_record(chief, "x-city")
    failed = {s.channel.key: s for s in admin.credential_statuses(chief)}["x-city"]
    assert failed.account is None
    assert failed.check_error is not None
    assert "Xの認証に失敗しました" in failed.check_error


def test_a_wrong_password_saves_nothing(chief: AppContext, services: FakeServices) -> None:
    with pytest.raises(ServiceError):
        admin.save_and_check(chief, "line", services.credentials["line"], "wrong-password")
    assert not chief.secrets.has_channel_credentials("line", ("channel_access_token",))
    assert not queries.audit_rows(chief, action_prefix="credentials.")


def test_dispatching_pcs_from_the_heartbeats(chief: AppContext, clock: FakeClock) -> None:
    chief.store.beat("old-pc:1:aaaaaa", "tanaka", 1, "1.0")
    clock.advance(120)
    chief.store.beat("koho-pc:2:bbbbbb", "kacho", 2, "1.0")
    clock.advance(5)
    pcs = admin.dispatching_pcs(chief)
    assert [(pc.pc, pc.live) for pc in pcs] == [("koho-pc", True), ("old-pc", False)]
    assert (clock.now() - pcs[1].last_seen).total_seconds() == 125
