"""An unexpected error in the GUI is logged and shown, not swallowed."""

from __future__ import annotations

import logging
import sys

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.ui.crash_dialog import install_exception_hook


def test_uncaught_errors_are_logged_and_shown(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[str] = []
    previous = install_exception_hook(shown.append)
    try:
        try:
            raise RuntimeError("a bug in a slot")
        except RuntimeError as error:
            with caplog.at_level(logging.ERROR):
                sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook = previous
    assert len(shown) == 1
    assert "RuntimeError: a bug in a slot" in shown[0]
    assert "a bug in a slot" in caplog.text
