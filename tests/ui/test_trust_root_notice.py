"""The status bar says plainly when this PC cannot verify the chief's approvals."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kodaira_desktop.security import chief_keys, trust_root
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import ERROR_COLOUR
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.status_bar import TRUST_ROOT_MISSING


def refresh(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.status.refreshed, timeout=10_000):
        window.status.refresh()


def test_a_missing_root_of_trust_is_shown_in_red(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    ctx.paths.trust_root_candidates[0].unlink()  # this PC was never given the root
    refresh(qtbot, window)
    label = window.status.trust_label
    assert not label.isHidden()
    assert (
        label.text() == "信頼の基点が未設定：緊急投稿の承認を確認できません" == TRUST_ROOT_MISSING
    )
    assert ERROR_COLOUR in label.styleSheet()

    chief = ctx.store.get_user_by_login("chief")
    assert chief is not None
    assert chief.public_key is not None
    trust_root.write_trust_root(
        ctx.paths.trust_root_candidates[0], chief_keys.fingerprint(chief.public_key), "chief"
    )
    refresh(qtbot, window)
    assert label.isHidden()
