"""Background work: results and errors come back on the GUI thread, through signals."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from kodaira_desktop.services.context import ServiceError
from kodaira_desktop.ui.workers import TaskRunner


def test_the_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    gui_thread = threading.current_thread()
    seen: dict[str, object] = {}

    def work() -> str:
        seen["worker"] = threading.current_thread()
        return "完了"

    def done(result: str) -> None:
        seen["result"] = result
        seen["delivered_on"] = threading.current_thread()

    with qtbot.waitSignal(runner.idle):
        runner.start(work, done, lambda message: None)
    assert seen["result"] == "完了"
    assert seen["worker"] is not gui_thread
    assert seen["delivered_on"] is gui_thread
    assert not runner.busy


def test_a_service_error_is_reported_as_its_message(qtbot: QtBot) -> None:
    runner = TaskRunner()
    failures: list[str] = []

    def work() -> None:
        raise ServiceError("予約できません")

    with qtbot.waitSignal(runner.idle):
        runner.start(work, lambda _: None, failures.append)
    assert failures == ["予約できません"]


def test_an_unexpected_error_is_reported_not_swallowed(qtbot: QtBot) -> None:
    runner = TaskRunner()
    failures: list[str] = []

    def work() -> None:
        raise OSError("disk full")

    with qtbot.waitSignal(runner.idle):
        runner.start(work, lambda _: None, failures.append)
    assert failures == ["予期しないエラーが発生しました：disk full"]


def test_a_slow_task_does_not_hold_up_the_others(qtbot: QtBot) -> None:
    """Two checks waiting on a slow service (as many as a 2-core PC has cores) and a page
    load started after them: the load is delivered while the checks still wait."""
    runner = TaskRunner()
    release = threading.Event()
    loaded: list[str] = []
    for _ in range(2):
        runner.start(lambda: release.wait(30), lambda _: None, lambda _: None)
    try:
        runner.start(lambda: "page", loaded.append, lambda _: None)
        qtbot.waitUntil(lambda: loaded == ["page"], timeout=5_000)
    finally:
        release.set()
        runner.wait()
