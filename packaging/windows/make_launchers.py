"""Writes the Windows launchers kodaira-desktop.exe (window) and kodaira-desktop-cli.exe (console).

pip's vendored distlib holds the launcher stubs (t64.exe, w64.exe) and writes them only on
Windows; told it is on Windows, it writes working launchers here on Linux. Each launcher runs
the ``python.exe``/``pythonw.exe`` beside it (the app folder), so it must stay next to them.

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
        maker.executable = "pythonw.exe" if gui else "python.exe"
        stub = (stubs / ("w64.exe" if gui else "t64.exe")).read_bytes()
        maker._get_launcher = lambda _kind, stub=stub: stub  # type: ignore[method-assign]
        maker.variants = {""}
        written = maker.make(f"{name} = {entry}", options={"gui": gui})
        for path in written:
            print(f"launcher {Path(path).name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
