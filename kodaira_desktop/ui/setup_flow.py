"""Start-up: the first-run wizard when this PC is not set up (no root of trust pinned), or when
the window finds the database unreachable or without a chief; otherwise the main window. Also
reopens the window as a login a chief has just registered on the spot. No restart needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import MainWindow

if TYPE_CHECKING:  # imported when shown: start-up paints before the heavy imports
    from kodaira_desktop.ui.setup_wizard import SetupWizard


def needs_wizard_at_start(ctx: AppContext) -> bool:
    """Cheap (files only, no database, nothing heavy imported): a PC with no pinned root of
    trust is not set up yet, as the first PC (no chief) or as a PC joining a shared server."""
    return not any(path.exists() for path in ctx.paths.trust_root_candidates)


class StartUp(QObject):
    #: The main window was opened (the new one after the wizard or a registration).
    windowOpened = Signal(object)  # noqa: N815 — Qt signal naming
    #: The first-run wizard was opened.
    wizardOpened = Signal(object)  # noqa: N815

    def __init__(self, ctx: AppContext, *, wizard: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.window: MainWindow | None = None
        self.wizard: SetupWizard | None = None
        #: Whether the wizard may be shown (never in --smoke runs) and has not been declined.
        self._offer_wizard = wizard
        self._contexts: list[AppContext] = []  # opened here; closed by shut_down

    def start(self) -> None:
        if self._offer_wizard and needs_wizard_at_start(self.ctx):
            self.open_wizard()
        else:
            self.open_window(self.ctx)

    def open_window(self, ctx: AppContext) -> MainWindow:
        old = self.window
        window = MainWindow(ctx, deferred=True)
        window.report_load_errors = not self._offer_wizard
        window.built.connect(lambda ok: self._built(window, ok))
        window.userRegistered.connect(lambda: self.open_window(window.ctx))
        self.window = window
        window.show()
        if old is not None:
            old.shut_down()
            old.close()
            old.deleteLater()
        self.windowOpened.emit(window)
        return window

    def open_wizard(self, reason: str = "") -> SetupWizard:
        from kodaira_desktop.ui.setup_wizard import SetupWizard

        wizard = SetupWizard(self.ctx, reason=reason)
        wizard.finishedWith.connect(self._set_up)
        wizard.rejected.connect(self._declined)
        self.wizard = wizard
        wizard.show()
        if self.window is not None:
            self.window.hide()
        self.wizardOpened.emit(wizard)
        return wizard

    def _built(self, window: MainWindow, ok: bool) -> None:
        if window is not self.window or not self._offer_wizard:
            return
        if not ok:
            error = str(getattr(window, "load_error", "")).removesuffix("（自動的に再接続します）")
            self.open_wizard(f"保存先のデータベースを開けませんでした：{error}")
            return
        if window.user is None:
            from kodaira_desktop.services.setup import chief_names

            if not chief_names(window.ctx):
                self.open_wizard()

    def _set_up(self, target: AppContext) -> None:
        self._contexts.append(target)
        self.open_window(target)

    def _declined(self) -> None:
        """Cancelled: the window as it is, saying what is wrong; no wizard again this run."""
        self._offer_wizard = False
        if self.wizard is not None:
            self.wizard.close_contexts()
        if self.window is not None:
            self.window.report_load_errors = True
            self.window.show()
        else:
            self.open_window(self.ctx)

    def shut_down(self) -> None:
        if self.window is not None:
            self.window.shut_down()
            self.window.hide()
            self.window.deleteLater()
        if self.wizard is not None:
            self.wizard.runner.wait()
            self.wizard.hide()
            self.wizard.deleteLater()
        for context in self._contexts:
            context.close()
        self._contexts.clear()
