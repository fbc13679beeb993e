"""Carries the app icon from the top-level resources/ into the package when it is built.

Everything else is in pyproject.toml. An editable install reads resources/ directly
(kodaira_desktop/ui/icon.py looks there when the package holds no copy).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ICONS = Path(__file__).resolve().parent / "resources" / "icons"


class BuildWithIcons(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "kodaira_desktop" / "resources" / "icons"
        target.mkdir(parents=True, exist_ok=True)
        for icon in sorted(ICONS.glob("kodaira-desktop*")):
            shutil.copyfile(icon, target / icon.name)


setup(cmdclass={"build_py": BuildWithIcons})
