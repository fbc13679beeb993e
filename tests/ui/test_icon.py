"""The app icon: drawn at every size from resources/, and shipped inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from kodaira_desktop.ui.icon import app_icon

ROOT = Path(__file__).resolve().parents[2]


def test_the_icon_has_every_size_from_16_to_256(qapp: QApplication) -> None:
    sizes = app_icon().availableSizes()
    assert QSize(16, 16) in sizes
    assert QSize(256, 256) in sizes
    assert len(sizes) == 7


def test_the_generated_ico_holds_16_to_256() -> None:
    data = (ROOT / "resources" / "icons" / "kodaira-desktop.ico").read_bytes()
    count = int.from_bytes(data[4:6], "little")
    sides = sorted(data[6 + 16 * i] or 256 for i in range(count))
    assert sides == [16, 24, 32, 48, 64, 128, 256]


@pytest.mark.slow
def test_the_wheel_carries_the_icons(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("kodaira_desktop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kodaira_desktop/resources/icons/kodaira-desktop-256.png" in names
    assert "kodaira_desktop/resources/icons/kodaira-desktop.ico" in names
    assert any(n.startswith("kodaira_desktop/store/migrations/versions/") for n in names)
