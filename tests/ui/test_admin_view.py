"""「管理」: a chief administers the section in the window — people, credentials, dispatching
PCs — each change confirmed with the chief's password; staff do not see the tab."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import accounts, chiefs
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.people_forms import AddPersonForm
from tests.fakes import credentials as fake_credentials
from tests.fakes.services import FakeServices
from tests.ui.admin_steps import (
    add_staff,
    enter_credentials,
    fill_new_person,
    open_credentials,
    open_dispatchers,
    open_people,
    press_with_password,
    toggle,
)
from tests.ui.conftest import CHIEF_PASSWORD, make_context
from tests.ui.emergency import chief_ctx
from tests.ui.helpers import click, input_text

__all__ = ["chief_ctx"]


def open_window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.is_built and not main.runner.busy, timeout=15_000)
    return main


@pytest.fixture
def chief_window(qtbot: QtBot, chief_ctx: AppContext) -> MainWindow:
    return open_window(qtbot, chief_ctx)


@pytest.fixture
def services(chief_ctx: AppContext) -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        chief_ctx.__dict__["endpoints"] = fakes.endpoints
        yield fakes


def tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_staff_do_not_see_the_admin_tab(window: MainWindow, chief_window: MainWindow) -> None:
    assert window.oversight.admin is None
    assert "管理" not in tab_titles(window)
    assert "職員" not in tab_titles(window)
    assert "管理" in tab_titles(chief_window)
    assert "職員" not in tab_titles(chief_window)  # folded into 管理
    admin = chief_window.oversight.admin
    assert admin is not None
    sections = [admin.sections.tabText(i) for i in range(admin.sections.count())]
    assert sections == ["職員", "認証情報", "配信PC"]


def test_a_chief_adds_a_staff_member_with_channels(
    qtbot: QtBot, chief_window: MainWindow, chief_ctx: AppContext
) -> None:
    people = open_people(qtbot, chief_window)
    dialog = people.open_add()
    form = dialog.form
    assert isinstance(form, AddPersonForm)
    fill_new_person(qtbot, form, "suzuki", ["line", "facebook"], display_name="鈴木 次郎")
    with qtbot.waitSignal(dialog.failed, timeout=15_000):
        press_with_password(qtbot, dialog, "追加する", "wrong-password")
    assert "パスワード" in dialog.message.text()
    assert chief_ctx.store.get_user_by_login("suzuki") is None  # a wrong password: nothing

    with qtbot.waitSignals([dialog.succeeded, people.loaded], timeout=15_000):
        press_with_password(qtbot, dialog, "追加する", CHIEF_PASSWORD)
    user = chief_ctx.store.get_user_by_login("suzuki")
    assert user is not None
    assert (user.display_name, user.role, user.active) == ("鈴木 次郎", "staff", True)
    assert user.channels == {"line", "facebook"}
    assert people.status_of("suzuki") == "有効"
    selected = people.selected()
    assert selected is not None
    assert selected.login == "suzuki"
    assert "鈴木 次郎 を追加しました" in people.message.text()


def test_the_add_staff_step_for_walks(
    qtbot: QtBot, chief_window: MainWindow, chief_ctx: AppContext
) -> None:
    add_staff(qtbot, chief_window, "yamada", ["x-city"], CHIEF_PASSWORD)
    user = chief_ctx.store.get_user_by_login("yamada")
    assert user is not None
    assert user.channels == {"x-city"}


def test_a_new_chief_gets_their_own_password_twice(
    qtbot: QtBot, chief_window: MainWindow, chief_ctx: AppContext
) -> None:
    people = open_people(qtbot, chief_window)
    dialog = people.open_add()
    form = dialog.form
    assert isinstance(form, AddPersonForm)
    form.set_role("chief")
    assert form.password.isVisible()
    fill_new_person(
        qtbot, form, "kato", [], role="chief", new_password="short"
    )  # too short: refused before the chief's password is even tried
    press_with_password(qtbot, dialog, "追加する", CHIEF_PASSWORD)
    assert "8文字以上" in dialog.message.text()
    form.password.clear()
    form.password_again.clear()
    qtbot.keyClicks(form.password, "kato-password-1")
    qtbot.keyClicks(form.password_again, "kato-password-2")
    press_with_password(qtbot, dialog, "追加する", CHIEF_PASSWORD)
    assert "2回とも同じではありません" in dialog.message.text()
    assert chief_ctx.store.get_user_by_login("kato") is None

    form.password_again.clear()
    qtbot.keyClicks(form.password_again, "kato-password-1")
    with qtbot.waitSignals([dialog.succeeded, people.loaded], timeout=15_000):
        press_with_password(qtbot, dialog, "追加する", CHIEF_PASSWORD)
    kato = chief_ctx.store.get_user_by_login("kato")
    assert kato is not None
    assert kato.role == "chief"
    assert chiefs.is_chief(chief_ctx, kato)  # endorsed by the acting chief's key
    accounts.confirm_chief(chief_ctx, "kato", "kato-password-1", action="test")


def test_a_chief_renames_and_designates(
    qtbot: QtBot, chief_window: MainWindow, chief_ctx: AppContext
) -> None:
    people = open_people(qtbot, chief_window)
    people.select("sato")
    assert people.rename_button.isEnabled()
    dialog = people.open_rename()
    assert dialog is not None
    edit = dialog.form.display_name  # type: ignore[attr-defined]
    edit.clear()
    input_text(qtbot, edit, "佐藤 一朗")
    with qtbot.waitSignal(dialog.failed, timeout=15_000):
        press_with_password(qtbot, dialog, "変更する", "not-the-password")
    assert chief_ctx.store.get_user_by_login("sato").display_name == "佐藤 一郎"  # type: ignore[union-attr]
    with qtbot.waitSignals([dialog.succeeded, people.loaded], timeout=15_000):
        press_with_password(qtbot, dialog, "変更する", CHIEF_PASSWORD)
    assert chief_ctx.store.get_user_by_login("sato").display_name == "佐藤 一朗"  # type: ignore[union-attr]
    row = [u.login for u in people.users].index("sato")
    assert people.table.item(row, 1).text() == "佐藤 一朗"  # type: ignore[union-attr]

    people.select("sato")
    designate = people.open_designate()
    assert designate is not None
    boxes = designate.form.channels.boxes  # type: ignore[attr-defined]
    assert boxes["line"].isChecked()
    assert not boxes["x-city"].isChecked()
    toggle(qtbot, boxes["x-city"])
    with qtbot.waitSignals([designate.succeeded, people.loaded], timeout=15_000):
        press_with_password(qtbot, designate, "変更する", CHIEF_PASSWORD)
    assert chief_ctx.store.get_user_by_login("sato").channels == {"line", "x-city"}  # type: ignore[union-attr]


def _files_containing(root: Path, secrets: set[str]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {s[:6]}…" for s in secrets if s.encode() in data]
    return found


def test_x_credentials_are_checked_live_and_never_shown_again(
    qtbot: QtBot,
    chief_window: MainWindow,
    chief_ctx: AppContext,
    services: FakeServices,
    database_file: Path,
    clock: FakeClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    x_city = services.credentials["x-city"]
    view = enter_credentials(qtbot, chief_window, "x-city", x_city, CHIEF_PASSWORD)

    assert "確認できました" in view.result.text()
    assert "@kodaira_koho" in view.result.text()
    assert chief_ctx.secrets.get_channel_credentials("x-city", tuple(x_city)) == x_city
    assert all(edit.text() == "" for edit in view.inputs.values())  # never shown again
    assert view.cell("x-city", 1).startswith("保存済み（2026年11月25日（水）09:00、chief）")
    assert view.cell("x-city", 2) == "小平市 (@kodaira_koho)"
    assert view.cell("line", 1) == "未保存"
    assert chief_ctx.store.get_channel("x-city").handle == "@kodaira_koho"  # type: ignore[union-attr]

    # No secret anywhere on disk (database, config, site config, logs) or in the log records.
    QThreadPool.globalInstance().waitForDone(10_000)
    secrets = set(x_city.values())
    assert _files_containing(tmp_path, secrets) == []
    assert not [r for r in caplog.records if any(s in r.getMessage() for s in secrets)]

    # The composer's X preview now shows the @handle the check found.
    staff = make_context(database_file, clock, login="tanaka")
    try:
        staff_window = open_window(qtbot, staff)
        assert staff_window.composer is not None
        preview = staff_window.composer.channel_tabs["x-city"].preview
        assert any("@kodaira_koho" in label.text() for label in preview.findChildren(QLabel))
        staff_window.close()
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        staff.close()


def test_a_failing_check_shows_a_clear_reason(
    qtbot: QtBot, chief_window: MainWindow, chief_ctx: AppContext, services: FakeServices
) -> None:
    wrong = dict(fake_credentials.X_MAYOR, access_token_secret="not-the-secret-0000")
    view = enter_credentials(qtbot, chief_window, "x-mayor", wrong, CHIEF_PASSWORD)
    assert "接続を確認できませんでした" in view.result.text()
    assert "Xの認証に失敗しました" in view.result.text()
    assert "not-the-secret" not in view.result.text()
    assert view.cell("x-mayor", 1).startswith("保存済み")  # saved, but it does not work
    assert "確認できません：" in view.cell("x-mayor", 2)
    assert chief_ctx.store.get_channel("x-mayor").handle is None  # type: ignore[union-attr]

    # A 401 from the service on a later check of good credentials: the same clear reason.
    good = enter_credentials(
        qtbot, chief_window, "x-mayor", services.credentials["x-mayor"], CHIEF_PASSWORD
    )
    assert "@kodaira_mayor" in good.result.text()
    services.x.fail_next(r"/2/users/me", 401, {"title": "Unauthorized", "status": 401})
    with qtbot.waitSignal(good.checked, timeout=15_000):
        click(qtbot, good.check_button)
        assert good.progress.isVisible()  # the check runs on a worker, with a busy bar
    assert "Xの認証に失敗しました。認証情報を確認してください。" in good.result.text()
    assert not good.progress.isVisible()


def test_a_wrong_chief_password_saves_no_credentials(
    qtbot: QtBot, chief_window: MainWindow, chief_ctx: AppContext
) -> None:
    view = open_credentials(qtbot, chief_window)
    view.select("line")
    qtbot.keyClicks(
        view.inputs["channel_access_token"], fake_credentials.LINE["channel_access_token"]
    )
    click(qtbot, view.save_button)
    dialog = view.dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.failed, timeout=15_000):
        press_with_password(qtbot, dialog, "保存して確認", "wrong-password")
    assert not chief_ctx.secrets.has_channel_credentials("line", ("channel_access_token",))


def test_dispatching_pcs_show_when_each_was_last_seen(
    qtbot: QtBot, chief_window: MainWindow, chief_ctx: AppContext, clock: FakeClock
) -> None:
    chief_ctx.store.beat("kikaku-pc:4242:a1b2c3", "tanaka", 4242, "1.4.0")
    clock.advance(3 * 3600)
    chief_ctx.store.beat("koho-pc:777:d4e5f6", "sato", 777, "1.4.0")
    clock.advance(12)
    view = open_dispatchers(qtbot, chief_window)
    rows = view.row_texts()
    assert [r[:2] for r in rows] == [["koho-pc", "配信中"], ["kikaku-pc", "応答なし"]]
    assert rows[0][2] == "12秒前（2026年11月25日（水）12:00:00）"
    assert rows[1][2] == "3時間前（2026年11月25日（水）09:00:00）"
    assert view.summary.text() == "配信中のPC：1 台"
    assert view.timer.isActive()  # refreshed by a timer while shown

    clock.advance(60)
    with qtbot.waitSignal(view.loaded, timeout=15_000):
        view.timer.timeout.emit()
    assert view.row_texts()[0][1:3] == ["応答なし", "1分前（2026年11月25日（水）12:00:00）"]
    assert view.summary.text().startswith("いま配信中のPCはありません")
    chief_window.tabs.setCurrentIndex(0)
    assert not view.timer.isActive()


@pytest.fixture
def office_window(
    qtbot: QtBot, database_url: str, clock: FakeClock
) -> Iterator[tuple[MainWindow, AppContext]]:
    """A chief's window on an empty database of each backend (SQLite, PostgreSQL)."""
    chief = AppContext.create(database=database_url, login="kacho", clock=clock)
    accounts.initialize(chief, "kacho", CHIEF_PASSWORD, "秘書広報課長")
    window = open_window(qtbot, chief)
    yield window, chief
    window.close()
    QThreadPool.globalInstance().waitForDone(10_000)
    chief.close()


def test_credentials_then_staff_on_each_backend(
    qtbot: QtBot, office_window: tuple[MainWindow, AppContext]
) -> None:
    window, chief = office_window
    with FakeServices() as fakes:
        chief.__dict__["endpoints"] = fakes.endpoints
        view = enter_credentials(
            qtbot, window, "x-city", fakes.credentials["x-city"], CHIEF_PASSWORD
        )
        assert view.cell("x-city", 2) == "小平市 (@kodaira_koho)"
    channel = chief.store.get_channel("x-city")
    assert channel is not None
    assert channel.handle == "@kodaira_koho"
    people = add_staff(
        qtbot, window, "tanaka", ["x-city", "line"], CHIEF_PASSWORD, display_name="田中 花子"
    )
    tanaka = chief.store.get_user_by_login("tanaka")
    assert tanaka is not None
    assert (tanaka.display_name, tanaka.channels) == ("田中 花子", {"x-city", "line"})
    assert people.status_of("tanaka") == "有効"


def test_credentials_saved_on_another_pc_are_not_saved_on_this_one(
    qtbot: QtBot, chief_window: MainWindow, chief_ctx: AppContext, services: FakeServices
) -> None:
    view = enter_credentials(
        qtbot, chief_window, "line", services.credentials["line"], CHIEF_PASSWORD
    )
    assert view.cell("line", 1) == "保存済み（2026年11月25日（水）09:00、chief）"
    chief_ctx.secrets.delete_channel_credentials("line")  # as on a PC without them
    with qtbot.waitSignal(view.loaded, timeout=15_000):
        view.reload()
    elsewhere = "別のPCで保存：2026年11月25日（水）09:00、chief"
    assert view.cell("line", 1) == f"未保存（このPC。{elsewhere}）"
    assert not view.check_button.isEnabled()


def test_the_add_dialog_is_reachable_by_keyboard_in_order(
    qtbot: QtBot, chief_window: MainWindow
) -> None:
    people = open_people(qtbot, chief_window)
    dialog = people.open_add()
    form = dialog.form
    assert isinstance(form, AddPersonForm)
    form.set_role("chief")
    qtbot.waitUntil(lambda: form.login.hasFocus())
    order = []
    widget = dialog.focusWidget()
    for _ in range(12):
        assert widget is not None
        order.append(widget)
        widget = widget.nextInFocusChain()
        while widget is not None and not (
            widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            widget = widget.nextInFocusChain()
    fields = [form.login, form.display_name, form.role, form.password, form.password_again]
    positions = [order.index(f) for f in [*fields, dialog.password]]
    assert positions == sorted(positions)  # form first, the chief's password last
    for widget in [*fields, *form.channels.boxes.values(), dialog.password]:
        assert widget.accessibleName(), widget
