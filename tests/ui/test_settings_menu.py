"""設定 → ログイン時に自動で起動する: off by default, the checkbox switches the autostart file
on and off, and a failure is reported and the box put back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from kodaira_desktop.autostart import Autostart
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.settings_menu import AUTOSTART_TEXT, MENU_TITLE, install_settings_menu


def test_the_main_window_has_the_setting_off_by_default(window: MainWindow) -> None:
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert MENU_TITLE in menus
    action = menus[MENU_TITLE].actions()[0]
    assert action.text() == AUTOSTART_TEXT
    assert action.isCheckable()
    assert not action.isChecked()


def test_checking_writes_the_autostart_file_and_unchecking_removes_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    switch = Autostart(platform="linux", autostart_dir=tmp_path, command=["/usr/bin/app"])
    action = install_settings_menu(window, switch).actions()[0]
    action.trigger()
    assert action.isChecked()
    assert switch.enabled()
    assert "起動します" in window.statusBar().currentMessage()
    action.trigger()
    assert not action.isChecked()
    assert not switch.enabled()


def test_a_failure_is_reported_and_the_box_put_back(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, _t: warnings.append(title))
    window = QMainWindow()
    qtbot.addWidget(window)
    switch = Autostart(platform="linux", autostart_dir=blocker, command=["/usr/bin/app"])
    action = install_settings_menu(window, switch).actions()[0]
    action.trigger()
    assert not action.isChecked()
    assert warnings == ["ログイン時の起動を設定できません"]


def test_an_unsupported_system_shows_it_disabled(qtbot: QtBot, tmp_path: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    switch = Autostart(platform="darwin", autostart_dir=tmp_path, command=["/usr/bin/app"])
    action = install_settings_menu(window, switch).actions()[0]
    assert not action.isEnabled()
    assert not action.isChecked()
