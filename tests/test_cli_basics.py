"""`--version` and `--help` answer without a display; bad arguments exit 2 without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

from kodaira_desktop import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return subprocess.run(
        [sys.executable, "-m", "kodaira_desktop", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_version_without_a_display() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kodaira-desktop {__version__}"


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in (
        "init",
        "users",
        "credentials",
        "queue",
        "approvals",
        "dispatch",
        "audit",
        "doctor",
    ):
        assert command in result.stdout


def test_help_loads_no_gui_or_database() -> None:
    code = (
        "import sys; from kodaira_desktop.cli import build_parser; build_parser();"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'sqlalchemy', 'httpx'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_bad_arguments_exit_2() -> None:
    result = run("queue", "add", "--channel", "line")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
