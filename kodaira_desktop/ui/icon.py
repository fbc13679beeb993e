"""The app icon (window, taskbar, dialogs), made from resources/icons/kodaira-desktop.svg."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

_PACKAGE = Path(__file__).resolve().parent.parent
#: The built package holds a copy (setup.py); a source checkout reads the top-level folder.
ICON_FOLDERS = (_PACKAGE / "resources" / "icons", _PACKAGE.parent / "resources" / "icons")
SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_folder() -> Path | None:
    for folder in ICON_FOLDERS:
        if (folder / "kodaira-desktop-32.png").is_file():
            return folder
    return None


def app_icon() -> QIcon:
    """The icon at every size it was drawn at (an empty icon if the files are missing)."""
    icon = QIcon()
    folder = icon_folder()
    if folder is not None:
        for size in SIZES:
            icon.addFile(str(folder / f"kodaira-desktop-{size}.png"))
    return icon


def set_windows_app_id() -> None:
    """On Windows, group the taskbar entry under this app (and its icon), not pythonw.exe."""
    import sys

    if sys.platform == "win32":
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID("KodairaCity.KodairaDesktop")
