"""Driving the composer as a user would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from kodaira_desktop.ui.composer import Composer


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


def tick_channels(qtbot: QtBot, composer: Composer, *keys: str) -> None:
    for key in keys:
        box = composer.channel_boxes[key]
        if not box.isChecked():
            click(qtbot, box)
        assert box.isChecked()


def wait_checked(qtbot: QtBot, composer: Composer) -> None:
    qtbot.waitUntil(lambda: not composer.check_pending)


def input_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as a Japanese input method does: each character committed by the IME.

    (QTest.keyClicks aborts on characters outside Latin-1, so ASCII goes through it and
    everything else through input-method commits, which is how kana and kanji arrive.)
    """
    widget.setFocus()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def type_text(qtbot: QtBot, composer: Composer, text: str) -> None:
    """Type into the common text and wait for the full check."""
    input_text(qtbot, composer.text_edit, text)
    wait_checked(qtbot, composer)
