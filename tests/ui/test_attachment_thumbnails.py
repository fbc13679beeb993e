"""Issue 15, finding 7 in the window: a pipe or a device among the attachments never blocks it."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from kodaira_desktop.ui.attachments import thumbnail


def test_a_pipe_or_a_device_gets_a_placeholder_without_being_read(
    qtbot: QtBot, tmp_path: Path, sample_png: Path
) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    for path in (fifo, Path("/dev/zero")):
        assert not thumbnail(path, 64).isNull()  # the drawn "？" placeholder
    assert thumbnail(sample_png, 64).width() == 64  # a real image is still decoded
