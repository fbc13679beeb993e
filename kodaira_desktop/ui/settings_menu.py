"""設定: this PC's own settings for this user — start at login (off by default)."""

from __future__ import annotations

import logging

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from kodaira_desktop.autostart import Autostart

log = logging.getLogger(__name__)

MENU_TITLE = "設定(&S)"
AUTOSTART_TEXT = "ログイン時に自動で起動する(&L)"
AUTOSTART_TIP = (
    "Windows / デスクトップにログインしたとき、このアプリを起動します。"
    "このPCが送信を担当するなら、ウィンドウを閉じても通知領域で送信を続けます。"
)


def install_settings_menu(window: QMainWindow, autostart: Autostart | None = None) -> QMenu:
    """The 設定 menu in ``window``'s menu bar; ``autostart`` is injected by tests."""
    switch = autostart or Autostart()
    menu = window.menuBar().addMenu(MENU_TITLE)
    action = QAction(AUTOSTART_TEXT, menu)
    action.setCheckable(True)
    action.setToolTip(AUTOSTART_TIP)
    action.setStatusTip(AUTOSTART_TIP)
    menu.setToolTipsVisible(True)
    if switch.supported:
        action.setChecked(_enabled(switch))
    else:
        action.setEnabled(False)
        action.setToolTip("このOSでは設定できません")
    action.toggled.connect(lambda on: _set(window, switch, action, on))
    menu.addAction(action)
    return menu


def _enabled(switch: Autostart) -> bool:
    try:
        return switch.enabled()
    except OSError as error:  # an unreadable registry or folder: shown as off
        log.warning("cannot read the start-at-login setting: %s", error)
        return False


def _set(window: QMainWindow, switch: Autostart, action: QAction, on: bool) -> None:
    from kodaira_desktop.ui import prompts

    try:
        switch.set_enabled(on)
    except OSError as error:
        action.blockSignals(True)
        action.setChecked(not on)
        action.blockSignals(False)
        prompts.show_error(window, "ログイン時の起動を設定できません", str(error))
        return
    log.info("start at login: %s", "on" if on else "off")
    window.statusBar().showMessage(
        "ログイン時に自動で起動します。" if on else "ログイン時の自動起動をやめました。", 10_000
    )
