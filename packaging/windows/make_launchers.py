"""Writes the Windows launchers kodaira-desktop.exe (window) and kodaira-desktop-cli.exe (console).

pip's vendored distlib holds the launcher stubs (t64.exe, w64.exe) and writes them only on
Windows; told it is on Windows, it writes working launchers here on Linux. Each launcher runs
the ``python.exe``/``pythonw.exe`` beside it (the app folder), so it must stay next to them,
in Python's UTF-8 mode.

Usage: python make_launchers.py APP_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from pip._vendor.distlib import scripts

LAUNCHERS = (
    # name, entry point, window (True) or console
    ("kodaira-desktop", "kodaira_desktop.cli:gui_main", True),
    ("kodaira-desktop-cli", "kodaira_desktop.cli:main", False),
)


def main(app_dir: Path) -> None:
    stubs = Path(scripts.__file__).parent
    for name, entry, gui in LAUNCHERS:
        maker = scripts.ScriptMaker(None, str(app_dir), add_launchers=True)
        maker._is_nt = True  # write .exe launchers although this is not Windows
        maker.executable = "python.exe"  # distlib makes it pythonw.exe for the window
        stub = (stubs / ("w64.exe" if gui else "t64.exe")).read_bytes()
        maker._get_launcher = lambda _kind, stub=stub: stub  # type: ignore[method-assign]
        maker.variants = {""}
        # UTF-8 mode, as on Linux: output piped to a file or a script is UTF-8, not the ANSI
        # code page (which cannot hold every character a post may contain).
        options = {"gui": gui, "interpreter_args": ["-X", "utf8"]}
        written = maker.make(f"{name} = {entry}", options=options)
        for path in written:
            print(f"launcher {Path(path).name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
