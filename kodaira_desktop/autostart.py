"""Start at login (off by default): the per-user Windows Run key, or an XDG autostart file.

Windows: the value ``KodairaDesktop`` under
``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` (``winreg`` is imported only there).
Linux and other XDG desktops: ``~/.config/autostart/kodaira-desktop.desktop``
(``$XDG_CONFIG_HOME`` honoured). Nothing else is supported (macOS: `supported` is False
and the setting is not offered).

Both are per user and need no administrator. Tests inject the registry and the folder.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any, Protocol

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = "KodairaDesktop"
DESKTOP_FILE = "kodaira-desktop.desktop"


def exec_line(command: list[str]) -> str:
    """The desktop-entry ``Exec`` form: an argument with a space or a reserved character is
    double-quoted, with ``"``, backquote, ``$`` and backslash escaped (the spec's rules);
    ``%`` is doubled, as field codes start with it."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    words = []
    for word in command:
        word = word.replace("%", "%%")
        if any(char in reserved for char in word):
            escaped = "".join("\\" + c if c in '"`$\\' else c for c in word)
            word = f'"{escaped}"'
        words.append(word)
    return " ".join(words)


class Registry(Protocol):
    """The three calls on HKCU's Run key that start-at-login needs."""

    def read(self, name: str) -> str | None: ...
    def write(self, name: str, value: str) -> None: ...
    def delete(self, name: str) -> None: ...


def _winreg() -> Any:
    """``winreg``, imported only on Windows (typed loosely: its stubs exist only there)."""
    return importlib.import_module("winreg")


class WindowsRunKey:
    """HKCU's Run key through ``winreg`` (Windows only)."""

    def read(self, name: str) -> str | None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def write(self, name: str, value: str) -> None:
        winreg = _winreg()

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


def launch_command() -> list[str]:
    """How this app is started from nothing: the frozen executable, else the installed GUI
    script, else this Python running the package."""
    import shutil

    if getattr(sys, "frozen", False):
        return [sys.executable]
    for script in ("kodaira-desktop-gui", "kodaira-desktop"):
        found = shutil.which(script, path=str(Path(sys.executable).parent)) or shutil.which(script)
        if found:
            return [found]
    python = Path(sys.executable)
    windowless = python.with_name("pythonw.exe")
    if sys.platform == "win32" and windowless.exists():
        python = windowless
    return [str(python), "-m", "kodaira_desktop"]


class Autostart:
    """Whether this user's login starts the app, and the switch."""

    def __init__(
        self,
        *,
        platform: str | None = None,
        registry: Registry | None = None,
        autostart_dir: Path | None = None,
        command: list[str] | None = None,
    ) -> None:
        self.platform = platform or sys.platform
        self._registry = registry
        self._dir = autostart_dir
        self._command = command

    @property
    def command(self) -> list[str]:
        """What the login starts (found when first needed, not when the menu is built)."""
        if self._command is None:
            self._command = launch_command()
        return self._command

    @property
    def windows(self) -> bool:
        return self.platform == "win32"

    @property
    def supported(self) -> bool:
        return self.windows or self.platform.startswith(("linux", "freebsd", "openbsd"))

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = WindowsRunKey()
        return self._registry

    @property
    def desktop_file(self) -> Path:
        if self._dir is None:
            import platformdirs

            self._dir = Path(platformdirs.user_config_dir()) / "autostart"
        return self._dir / DESKTOP_FILE

    def enabled(self) -> bool:
        if self.windows:
            return self.registry.read(VALUE_NAME) is not None
        return self.supported and self.desktop_file.is_file()

    def set_enabled(self, on: bool) -> None:
        if not self.supported:
            raise OSError(f"start at login is not supported on {self.platform}")
        if self.windows:
            import subprocess

            if on:
                self.registry.write(VALUE_NAME, subprocess.list2cmdline(self.command))
            else:
                self.registry.delete(VALUE_NAME)
            return
        path = self.desktop_file
        if not on:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(self.desktop_entry(), encoding="utf-8")
        partial.replace(path)  # never a half-written file

    def desktop_entry(self) -> str:
        return (
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Name=小平市 SNS投稿予約\n"
            "Name[en]=Kodaira Desktop\n"
            "Comment=予約した投稿を送信します / sends the scheduled posts\n"
            f"Exec={exec_line(self.command)}\n"
            "Icon=kodaira-desktop\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
