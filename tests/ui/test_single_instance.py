"""One window per user, with real processes: a second start asks the first to raise its
window and exits 0 at once; after a crash (the socket file left behind) the next start
takes over. ``--smoke``/``--smoke-paint`` and in-process windows take no lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.ui.single_instance import SingleInstance, server_name

LISTENING = "single instance: listening"
RAISED = "a second start asked to raise the window"


def gui_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KODAIRA_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KODAIRA_DATA_DIR=str(home / "data"),
        KODAIRA_CONFIG_DIR=str(home / "config"),
        KODAIRA_SITE_CONFIG_DIR=str(home / "site"),
        KODAIRA_KEYRING="memory",
        KODAIRA_GUI_DISPATCH="0",
        KODAIRA_DATABASE_URL=f"sqlite:///{home / 'queue.sqlite3'}",
        XDG_CONFIG_HOME=str(home / "xdg"),
    )
    return env


def start(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kodaira_desktop", "--user", "tanaka"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for_log(log: Path, text: str, count: int = 1, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and log.read_text(encoding="utf-8").count(text) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not logged {count} time(s) in {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        process.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="signals and socket files: POSIX")
def test_a_second_start_raises_the_first_and_a_crash_leaves_nothing_blocking(
    tmp_path: Path,
) -> None:
    env = gui_env(tmp_path)
    log = tmp_path / "data" / "logs" / "kodaira-desktop.log"
    first = start(env)
    try:
        wait_for_log(log, LISTENING)
        began = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "kodaira_desktop", "--user", "tanaka"],
            env=env,
            capture_output=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert time.monotonic() - began < 30  # it did not open a window of its own
        wait_for_log(log, RAISED)
        assert first.poll() is None  # the first one is still running
        stop(first, signal.SIGKILL)  # a crash: its socket file stays behind
        third = start(env)
        try:
            wait_for_log(log, LISTENING, count=2)
            assert third.poll() is None
        finally:
            stop(third)
    finally:
        stop(first, signal.SIGKILL)


def test_another_user_or_data_folder_gets_another_name(tmp_path: Path) -> None:
    one = server_name("tanaka", tmp_path / "a")
    assert one == server_name("tanaka", tmp_path / "a")
    assert one != server_name("sato", tmp_path / "a")
    assert one != server_name("tanaka", tmp_path / "b")


def test_in_process_the_second_acquire_asks_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    name = server_name("tanaka", tmp_path)
    first = SingleInstance(name)
    assert first.acquire()
    try:
        with qtbot.waitSignal(first.raiseRequested, timeout=5_000):
            assert SingleInstance(name).acquire() is False
    finally:
        first.release()
    again = SingleInstance(name)
    assert again.acquire()  # released: the next start is the first again
    again.release()
