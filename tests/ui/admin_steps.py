"""Steps a chief takes in the 管理 tab, driven as a person would (click, type), for the 管理
tests and for longer walks (wizard → credentials → staff → compose).

    people = add_staff(qtbot, window, "suzuki", ["line"], CHIEF_PASSWORD)
    creds = enter_credentials(qtbot, window, "x-city", fields, CHIEF_PASSWORD)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QWidget
from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.records import Role
from kodaira_desktop.ui.admin_view import AdminView
from kodaira_desktop.ui.credentials_view import SECTION_TITLE as CREDENTIALS
from kodaira_desktop.ui.credentials_view import CredentialsView
from kodaira_desktop.ui.dispatchers_view import SECTION_TITLE as DISPATCHERS
from kodaira_desktop.ui.dispatchers_view import DispatchersView
from kodaira_desktop.ui.form_prompt import FormActionDialog
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.people_forms import AddPersonForm
from kodaira_desktop.ui.people_view import TAB_TITLE as PEOPLE
from kodaira_desktop.ui.people_view import PeopleView
from tests.ui.helpers import click, input_text

W = TypeVar("W", bound=QWidget)
TIMEOUT = 15_000


def admin_tab(window: MainWindow) -> AdminView:
    admin = window.oversight.admin
    assert admin is not None, "the 管理 tab is for chiefs"
    return admin


def open_section(qtbot: QtBot, window: MainWindow, title: str, kind: type[W]) -> W:
    """Show the 管理 tab's section ``title``, loaded."""
    admin = admin_tab(window)
    window.tabs.setCurrentWidget(admin)
    view = admin.open_section(title)
    assert isinstance(view, kind)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=TIMEOUT)
    return view


def open_people(qtbot: QtBot, window: MainWindow) -> PeopleView:
    return open_section(qtbot, window, PEOPLE, PeopleView)


def open_credentials(qtbot: QtBot, window: MainWindow) -> CredentialsView:
    return open_section(qtbot, window, CREDENTIALS, CredentialsView)


def open_dispatchers(qtbot: QtBot, window: MainWindow) -> DispatchersView:
    return open_section(qtbot, window, DISPATCHERS, DispatchersView)


def press_with_password(
    qtbot: QtBot, dialog: FormActionDialog[object] | object, label: str, password: str
) -> None:
    from kodaira_desktop.ui.chief_prompt import ChiefActionDialog

    assert isinstance(dialog, ChiefActionDialog)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    button = dialog.action_buttons[label]
    assert button.isEnabled()
    click(qtbot, button)


def toggle(qtbot: QtBot, box: QCheckBox) -> None:
    """Tick or untick with the keyboard (space), as the tab-order users do."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def fill_new_person(
    qtbot: QtBot,
    form: AddPersonForm,
    login: str,
    channels: Sequence[str],
    *,
    display_name: str = "",
    role: Role = "staff",
    new_password: str = "",
) -> None:
    input_text(qtbot, form.login, login)
    if display_name:
        input_text(qtbot, form.display_name, display_name)
    form.set_role(role)
    for key in channels:
        toggle(qtbot, form.channels.boxes[key])
    if role == "chief":
        qtbot.keyClicks(form.password, new_password)
        qtbot.keyClicks(form.password_again, new_password)


def add_staff(
    qtbot: QtBot,
    window: MainWindow,
    login: str,
    channels: Sequence[str],
    chief_password: str,
    *,
    display_name: str = "",
    role: Role = "staff",
    new_password: str = "",
) -> PeopleView:
    """追加… → the form → the chief's password → 追加する; returns the 職員 section, reloaded
    with the new person selected. Fails with the dialog's message if the chief was refused."""
    people = open_people(qtbot, window)
    dialog = people.open_add()
    form = dialog.form
    assert isinstance(form, AddPersonForm)
    fill_new_person(
        qtbot,
        form,
        login,
        channels,
        display_name=display_name,
        role=role,
        new_password=new_password,
    )
    with qtbot.waitSignals([dialog.succeeded, people.loaded], timeout=TIMEOUT):
        press_with_password(qtbot, dialog, "追加する", chief_password)
    return people


def enter_credentials(
    qtbot: QtBot,
    window: MainWindow,
    channel: str,
    fields: Mapping[str, str],
    chief_password: str,
) -> CredentialsView:
    """Select ``channel`` in 認証情報, type each field, 保存して確認… with the chief's password;
    returns the section once the live check's result is on screen."""
    view = open_credentials(qtbot, window)
    view.select(channel)
    for name, value in fields.items():
        edit = view.inputs[name]
        edit.clear()
        qtbot.keyClicks(edit, value)
    click(qtbot, view.save_button)
    dialog = view.dialog
    assert dialog is not None
    with qtbot.waitSignal(view.checked, timeout=TIMEOUT):
        press_with_password(qtbot, dialog, "保存して確認", chief_password)
    return view
