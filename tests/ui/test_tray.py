"""The tray: closing the window keeps a dispatching PC in the tray; balloons for what the
dispatcher did, coalesced; 終了 asks while entries are being sent; no tray, no change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from kodaira_desktop.services.dispatcher import DispatchReport
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.tray import STILL_RUNNING, Notice, TrayController, coalesce


class RecordingIcon(QSystemTrayIcon):
    def __init__(self) -> None:
        super().__init__()
        self.balloons: list[tuple[str, str, Any]] = []

    def showMessage(self, title: str, message: str, icon: Any, msecs: int = 10_000) -> None:  # type: ignore[override]  # noqa: N802
        self.balloons.append((title, message, icon))


def tray_for(
    window: MainWindow, *, dispatching: bool = True, available: bool = True, **kwargs: Any
) -> tuple[TrayController, RecordingIcon]:
    window.dispatch.enabled = dispatching  # "this PC dispatches" (the start is not needed)
    icon = RecordingIcon()
    tray = TrayController(window, available=available, icon=icon, **kwargs)
    assert tray.install() is available
    return tray, icon


def test_closing_keeps_a_dispatching_window_in_the_tray_and_says_so_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    tray, icon = tray_for(window)
    assert tray.keeps_running
    window.close()
    assert window.isHidden()
    assert tray.keeps_running
    assert not tray.quitting
    assert window.dispatch.enabled
    assert window._timer.isActive()
    window.show()
    window.close()
    assert [message for _title, message, _icon in icon.balloons] == [STILL_RUNNING]
    tray.open_window()
    assert window.isVisible()


def test_a_pc_that_does_not_dispatch_quits_on_close(qtbot: QtBot, window: MainWindow) -> None:
    tray, _icon = tray_for(window, dispatching=False)
    assert not tray.keeps_running
    window.close()
    assert not window.isVisible()
    assert not window._timer.isActive()  # shut down as before


def test_without_a_system_tray_closing_quits_as_before(qtbot: QtBot, window: MainWindow) -> None:
    tray, icon = tray_for(window, available=False)
    assert not tray.keeps_running
    window.close()
    assert not window._timer.isActive()
    assert icon.balloons == []


def test_dispatch_outcomes_become_one_coalesced_balloon(qtbot: QtBot, window: MainWindow) -> None:
    _tray, icon = tray_for(window)
    window.dispatch.entriesChanged.emit(DispatchReport(published=[1, 2, 3]))
    window.dispatch.entriesChanged.emit(DispatchReport(failed=[4], unknown=[5], held=[6]))
    window.dispatch.entriesChanged.emit(DispatchReport(retrying=[7], paced=[8]))  # quiet
    assert icon.balloons == []  # gathered for a moment first
    qtbot.waitUntil(lambda: len(icon.balloons) == 1, timeout=5_000)
    title, message, kind = icon.balloons[0]
    assert "4 件のお知らせ" in title
    assert message.splitlines() == [
        "3 件の投稿を送信しました。",
        "1 件の投稿が失敗しました。予約一覧で確認してください。",
        "1 件は投稿されたか確認できません。予約一覧で確認し、結果を記録してください。",
        "1 件を保留にしました。予約一覧で理由を確認してください。",
    ]
    assert kind == QSystemTrayIcon.MessageIcon.Warning


def test_a_single_outcome_is_shown_as_it_is(qtbot: QtBot, window: MainWindow) -> None:
    tray, icon = tray_for(window)
    window.dispatch.entriesChanged.emit(DispatchReport(published=[9]))
    tray.flush()
    assert icon.balloons == [
        ("投稿しました", "1 件の投稿を送信しました。", QSystemTrayIcon.MessageIcon.Information)
    ]


def test_new_emergency_requests_reach_the_tray(qtbot: QtBot, window: MainWindow) -> None:
    tray, icon = tray_for(window)
    inbox = window.oversight.inbox
    assert inbox is not None
    assert inbox.notifier is tray
    inbox.notifier.notify("緊急投稿の確認依頼", "田中 花子 さんから項目 #1")
    tray.flush()
    assert icon.balloons[0][:2] == ("緊急投稿の確認依頼", "田中 花子 さんから項目 #1")


def test_quitting_asks_while_an_upload_is_in_flight(qtbot: QtBot, window: MainWindow) -> None:
    questions: list[str] = []
    answers = [False, True]
    tray, _icon = tray_for(
        window, confirm_quit=lambda q: questions.append(q) is None and answers.pop(0)
    )
    window.dispatch.uploadProgress.emit(11, 100, 1_000)
    assert tray.sending == 1
    assert tray.quit() is False  # "no": still running
    assert window.isVisible()
    assert not tray.quitting
    assert "1 件の投稿を送信中" in questions[0]
    assert tray.quit() is True
    assert not window.isVisible()
    assert not window._timer.isActive()


def test_quitting_when_nothing_is_sent_does_not_ask(qtbot: QtBot, window: MainWindow) -> None:
    tray, _icon = tray_for(window, confirm_quit=lambda _q: False)
    window.dispatch.uploadProgress.emit(11, 100, 1_000)
    window.dispatch.passFinished.emit(DispatchReport(published=[11]))
    assert tray.sending == 0
    assert tray.quit() is True
    assert not window.isVisible()


def test_the_tray_menu(qtbot: QtBot, window: MainWindow) -> None:
    tray, icon = tray_for(window)
    menu = icon.contextMenu()
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "開く",
        "最新の状態に更新",
        "終了",
    ]
    window.close()
    tray.open_action.trigger()
    assert window.isVisible()


def test_coalesce_keeps_one_title_when_all_agree() -> None:
    notices = [Notice("投稿しました", "a"), Notice("投稿しました", "b")]
    assert coalesce(notices) == Notice("投稿しました", "a\nb")


def test_the_entry_point_installs_the_tray_once_built_and_raises_on_request(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``run_gui``'s wiring (``_follow_instance``), with a tray pretended available."""
    from kodaira_desktop.ui import app, tray
    from kodaira_desktop.ui.setup_flow import StartUp
    from kodaira_desktop.ui.single_instance import SingleInstance, server_name

    monkeypatch.setattr(tray, "has_system_tray", lambda: True)
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda *_args: None)
    window.dispatch.enabled = True
    instance = SingleInstance(server_name("tanaka", tmp_path))
    flow = StartUp(window.ctx, wizard=False)
    app._follow_instance(flow, instance)
    flow.window = window  # as StartUp.open_window leaves it
    flow.windowOpened.emit(window)
    with qtbot.waitSignal(window.queueRefreshed, timeout=10_000):
        window.refresh_queue()
    installed = window.findChildren(TrayController)
    assert len(installed) == 1
    window.refresh_queue()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert len(window.findChildren(TrayController)) == 1  # once, not per refresh
    window.close()
    assert window.isHidden()  # kept in the tray
    instance.raiseRequested.emit()  # what a second start sends
    assert window.isVisible()
    installed[0].quit()
    assert not window.isVisible()


def test_the_balloon_history_is_bounded(qtbot: QtBot, window: MainWindow) -> None:
    from kodaira_desktop.ui.tray import SHOWN_KEPT

    tray, icon = tray_for(window)
    for n in range(SHOWN_KEPT + 10):
        tray.notify("投稿しました", f"{n}")
        tray.flush()
    assert len(icon.balloons) == SHOWN_KEPT + 10
    assert len(tray.shown) == SHOWN_KEPT
    assert tray.shown[-1].message == f"{SHOWN_KEPT + 9}"
