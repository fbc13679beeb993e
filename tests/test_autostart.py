"""Start at login: the XDG autostart file on Linux, the HKCU Run value on Windows (through an
injected registry), off by default, switched on and off again."""

from __future__ import annotations

import configparser
import shlex
import subprocess
from pathlib import Path

import pytest

from kodaira_desktop.autostart import DESKTOP_FILE, VALUE_NAME, Autostart, exec_line

COMMAND = ["/opt/小平 app/bin/kodaira-desktop-gui"]


class FakeRunKey:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def read(self, name: str) -> str | None:
        return self.values.get(name)

    def write(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def test_linux_writes_and_removes_the_xdg_autostart_file(tmp_path: Path) -> None:
    switch = Autostart(platform="linux", autostart_dir=tmp_path / "autostart", command=COMMAND)
    assert switch.supported
    assert not switch.enabled()
    switch.set_enabled(True)
    path = tmp_path / "autostart" / DESKTOP_FILE
    assert switch.enabled()
    assert path.is_file()
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "小平市 SNS投稿予約"
    assert shlex.split(section["Exec"]) == COMMAND  # the space is quoted
    assert not list(path.parent.glob("*.tmp"))
    switch.set_enabled(False)
    assert not switch.enabled()
    assert not path.exists()
    switch.set_enabled(False)  # already off: nothing to do, no error


def test_linux_default_folder_follows_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    switch = Autostart(platform="linux", command=COMMAND)
    switch.set_enabled(True)
    assert (tmp_path / "xdg" / "autostart" / DESKTOP_FILE).is_file()


def test_windows_sets_and_deletes_the_run_value() -> None:
    registry = FakeRunKey()
    command = [r"C:\Program Files\Kodaira Desktop\kodaira-desktop.exe"]
    switch = Autostart(platform="win32", registry=registry, command=command)
    assert switch.supported
    assert not switch.enabled()
    switch.set_enabled(True)
    assert registry.values == {VALUE_NAME: subprocess.list2cmdline(command)}
    assert registry.values[VALUE_NAME].startswith('"C:\\Program Files')  # quoted for Windows
    assert switch.enabled()
    switch.set_enabled(False)
    assert registry.values == {}
    assert not switch.enabled()


def test_other_systems_are_not_offered_it(tmp_path: Path) -> None:
    switch = Autostart(platform="darwin", autostart_dir=tmp_path, command=COMMAND)
    assert not switch.supported
    assert not switch.enabled()
    with pytest.raises(OSError, match="not supported"):
        switch.set_enabled(True)


def test_exec_line_escapes_what_the_desktop_entry_spec_reserves() -> None:
    assert exec_line(["/usr/bin/app"]) == "/usr/bin/app"
    assert exec_line(["/a b/py", "-m", "x$y", "50%"]) == '"/a b/py" -m "x\\$y" 50%%'
