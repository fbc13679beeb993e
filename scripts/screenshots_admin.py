"""Render the 管理 tab (職員, 追加, 認証情報 checked and failing, 配信PC) to docs/screenshots/30-*.

Same seeded office and fixed clock as scripts/screenshots.py; the credentials are the made-up
ones the service fakes accept (tests/fakes), checked live against those fakes on 127.0.0.1, in
a keyring held in memory:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_admin.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from screenshots import OUT, PASSWORD, seeded_office  # noqa: E402

from kodaira_desktop.services import admin  # noqa: E402
from kodaira_desktop.ui.main_window import MainWindow  # noqa: E402
from kodaira_desktop.ui.people_forms import AddPersonForm  # noqa: E402
from kodaira_desktop.ui.workers import TaskRunner  # noqa: E402
from tests.fakes import credentials as fake_credentials  # noqa: E402
from tests.fakes.services import FakeServices  # noqa: E402


def _settle(app: QApplication, runner: TaskRunner) -> None:
    for _ in range(200):
        runner.wait()
        app.processEvents()
        if not runner.busy:
            return


def main() -> int:
    os.environ["KODAIRA_KEYRING"] = "memory"
    OUT.mkdir(parents=True, exist_ok=True)
    with FakeServices() as fakes, seeded_office() as (app, chief, _ctx, _folder):
        chief.__dict__["endpoints"] = fakes.endpoints
        admin.save_and_check(chief, "line", fakes.credentials["line"], PASSWORD)
        wrong = dict(fake_credentials.X_MAYOR, access_token_secret="not-the-secret-000")
        admin.save_and_check(chief, "x-mayor", wrong, PASSWORD)
        chief.store.beat("KOHO-PC01:5120:9f3a1c", "tanaka", 5120, "1.4.0")
        chief.clock.advance(2 * 86_400 + 3 * 3600)  # type: ignore[attr-defined]
        chief.store.beat("KOHO-PC02:3312:4b7e20", "chief", 3312, "1.4.0")
        chief.clock.advance(25)  # type: ignore[attr-defined]
        window = MainWindow(chief)
        window.resize(1400, 900)
        window.show()
        _settle(app, window.runner)
        render(app, window, fakes)
        window.close()
    return 0


def render(app: QApplication, window: MainWindow, fakes: FakeServices) -> None:
    def shot(widget: QWidget, name: str) -> None:
        _settle(app, window.runner)
        widget.grab().save(str(OUT / name))
        print(f"wrote {OUT / name}")

    view = window.oversight.admin
    assert view is not None
    window.tabs.setCurrentWidget(view)
    view.open_section("職員")
    _settle(app, window.runner)
    view.people.select("tanaka")
    shot(window, "30-admin-people.png")

    dialog = view.people.open_add()
    form = dialog.form
    assert isinstance(form, AddPersonForm)
    form.login.setText("suzuki")
    form.display_name.setText("鈴木 次郎")
    form.set_role("chief")
    form.password.setText("Kodaira-2027!")
    form.password_again.setText("Kodaira-2027!")
    dialog.password.setText("password123")
    shot(dialog, "31-admin-add-person.png")
    dialog.close()

    view.open_section("認証情報")
    _settle(app, window.runner)
    creds = view.credentials
    creds.select("x-city")
    for name, value in fakes.credentials["x-city"].items():
        creds.inputs[name].setText(value)
    save = creds.open_save()
    assert save is not None
    save.password.setText(PASSWORD)
    save.run_action(save._actions[0])
    _settle(app, window.runner)
    shot(window, "32-admin-credentials-checked.png")

    creds.select("x-mayor")
    creds.check_selected()
    _settle(app, window.runner)
    shot(window, "33-admin-credentials-failed.png")

    view.open_section("配信PC")
    _settle(app, window.runner)
    shot(window, "34-admin-dispatching-pcs.png")


if __name__ == "__main__":
    raise SystemExit(main())
