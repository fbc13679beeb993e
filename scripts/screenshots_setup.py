"""Render the first-run wizard's pages and the unregistered-login screen to docs/screenshots/
(20-… to 25-…), offscreen, on a fixed clock and fixed folders (the chief's key, hence the
fingerprint, and the refused port are new on each run).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_setup.py
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication, QWidget, QWizard

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import accounts
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.setup_flow import StartUp
from kodaira_desktop.ui.setup_wizard import SetupWizard

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
#: Fixed, so the path shown on the first page is the same on every run.
FOLDER = Path("/tmp/kodaira-setup-shots")
PASSWORD = "Kodaira-2026!"


def _environment(pc: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KODAIRA_")}
    env.update(
        KODAIRA_DATA_DIR=str(FOLDER / pc / "data"),
        KODAIRA_CONFIG_DIR=str(FOLDER / pc / "config"),
        KODAIRA_SITE_CONFIG_DIR=str(FOLDER / pc / "site"),
        KODAIRA_KEYRING="memory",
        KODAIRA_TEST_SCRYPT_N="1024",
        KODAIRA_GUI_DISPATCH="0",
    )
    return env


def _wait(app: QApplication, done: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def _shot(app: QApplication, widget: QWidget, name: str) -> None:
    app.processEvents()
    widget.grab().save(str(OUT / name))
    print(f"wrote {OUT / name}")


def _next(app: QApplication, wizard: SetupWizard) -> None:
    before = wizard.currentId()
    wizard.button(QWizard.WizardButton.NextButton).click()
    _wait(app, lambda: wizard.currentId() != before or not wizard.runner.busy)
    app.processEvents()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(FOLDER, ignore_errors=True)
    clock = FakeClock(NOW)
    first = AppContext.create(login="kacho", environ=_environment("pc1"), clock=clock)
    flow = StartUp(first)
    flow.start()
    wizard = flow.wizard
    assert wizard is not None
    wizard.resize(680, 500)
    _shot(app, wizard, "20-setup-location.png")

    wizard.location_page.fill(
        url=f"postgresql://kodaira@127.0.0.1:{_free_port()}/kodaira", password="password"
    )
    _next(app, wizard)
    _shot(app, wizard, "21-setup-server-refused.png")

    wizard.location_page.fill(url=None)
    _next(app, wizard)
    wizard.chief_page.fill("kacho", "秘書広報課長 小平 太郎", PASSWORD)
    _shot(app, wizard, "22-setup-first-chief.png")
    _next(app, wizard)
    _shot(app, wizard, "23-setup-done.png")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    _wait(app, lambda: flow.window is not None and flow.window.is_built)
    root_file = accounts.trust_root_path(first)
    assert root_file is not None
    accounts.add_user(
        first, "tanaka", "staff", "line", display_name="田中 花子",
        chief_password=PASSWORD, new_password=None,
    )  # fmt: skip
    flow.shut_down()

    # A second PC on the same database: import the first PC's trust-root.toml.
    database = first.database_url
    second = AppContext.create(
        database=database, login="suzuki", environ=_environment("pc2"), clock=clock
    )
    join = StartUp(second)
    join.start()
    wizard = join.wizard
    assert wizard is not None
    wizard.resize(680, 500)
    _next(app, wizard)
    wizard.join_page.fill(root_file)
    _shot(app, wizard, "24-setup-join-trust-root.png")
    _next(app, wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    _wait(app, lambda: join.window is not None and join.window.is_built)
    window = join.window
    assert window is not None
    window.resize(1400, 900)
    _wait(app, lambda: not window.runner.busy)
    window.unregistered.fill("kacho", "", "鈴木 次郎", ["line", "x-city"])
    _shot(app, window, "25-unregistered-login.png")
    join.shut_down()
    first.close()
    second.close()
    shutil.rmtree(FOLDER, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
