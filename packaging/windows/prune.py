"""Removes from the Windows app folder what Kodaira Desktop never loads, and reports the saving.

The app imports QtCore, QtGui and QtWidgets only: QML/Quick, Designer, the Qt tools, software
OpenGL, the network and SQL plugins and every Qt translation but Japanese go. The Windows
platform, styles, image-format and icon-engine plugins stay (offscreen too: the smoke test).

Usage: python prune.py SITE_PACKAGES
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

#: Kept at the top of PySide6/ (everything else there goes).
KEEP_FILES = {
    "__init__.py",
    "_config.py",
    "_git_pyside_version.py",
    "py.typed",
    "PySide6_Essentials.json",
    "Qt6Core.dll",
    "Qt6Gui.dll",
    "Qt6Widgets.dll",
    "Qt6Svg.dll",  # the SVG icon engine and image format
    "QtCore.pyd",
    "QtGui.pyd",
    "QtWidgets.pyd",
    "pyside6.abi3.dll",
    "concrt140.dll",
    "msvcp140.dll",
    "msvcp140_1.dll",
    "msvcp140_2.dll",
    "msvcp140_codecvt_ids.dll",
    "vcruntime140.dll",
    "vcruntime140_1.dll",
}
KEEP_PLUGINS = {
    "platforms": {"qwindows.dll", "qoffscreen.dll"},
    "styles": None,  # all (the Windows 11 style)
    "imageformats": {"qgif.dll", "qico.dll", "qjpeg.dll", "qsvg.dll", "qwebp.dll"},
    "iconengines": None,
}
KEEP_TRANSLATIONS = {"qtbase_ja.qm"}


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prune(site_packages: Path) -> int:
    pyside = site_packages / "PySide6"
    doomed: list[Path] = []
    kept_folders = ("plugins", "translations")
    for entry in pyside.iterdir():
        kept = entry.name in (KEEP_FILES if entry.is_file() else kept_folders)
        if not kept:
            doomed.append(entry)
    for folder in (pyside / "plugins").iterdir():
        keep = KEEP_PLUGINS.get(folder.name, set())
        if folder.name not in KEEP_PLUGINS:
            doomed.append(folder)
        elif keep is not None:
            doomed += [p for p in folder.iterdir() if p.name not in keep]
    doomed += [p for p in (pyside / "translations").iterdir() if p.name not in KEEP_TRANSLATIONS]
    doomed += list(site_packages.rglob("*.pyi"))
    doomed += [p for p in site_packages.glob("*/bin") if p.parent.name.endswith(".data")]
    saved = 0
    for path in doomed:
        if not path.exists():
            continue
        saved += _size(path)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return saved


if __name__ == "__main__":
    saved = prune(Path(sys.argv[1]))
    print(f"pruned {saved / 2**20:.1f} MiB the app never loads")
