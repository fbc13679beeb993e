"""The first-run wizard (初期設定): where the queue lives, the first chief (or, on a PC joining a
shared server, the first PC's trust-root.toml), and the root of trust's fingerprint.

Each page's 次へ runs its step on the TaskRunner (connecting, creating the chief's key and
pinning the root take a moment); a refusal is shown in red on the page, which stays. Object
names and each page's ``fill`` method let tests (tests/ui/setup_steps.py) drive every page.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from kodaira_desktop.services import setup
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.setup_pages import (
    PAGE_CHIEF,
    PAGE_DONE,
    PAGE_JOIN,
    PAGE_LOCATION,
    ChiefPage,
    DonePage,
    JoinPage,
    LocationPage,
)
from kodaira_desktop.ui.workers import TaskRunner

__all__ = ["PAGE_CHIEF", "PAGE_DONE", "PAGE_JOIN", "PAGE_LOCATION", "TITLE", "SetupWizard"]

TITLE = "初期設定"


class SetupWizard(QWizard):
    """Finishing opens the window as ``target`` (the user who set it up, on the database
    chosen); ``finishedWith`` carries that context."""

    finishedWith = Signal(object)  # noqa: N815 — Qt signal naming

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, reason: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(TITLE)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.resize(640, 480)
        buttons = QWizard.WizardButton
        for button, text in (
            (buttons.BackButton, "< 戻る"),
            (buttons.NextButton, "次へ >"),
            (buttons.FinishButton, "完了"),
            (buttons.CancelButton, "キャンセル"),
        ):
            self.setButtonText(button, text)
        self.ctx = ctx
        self.runner = TaskRunner(self)
        self.target: AppContext | None = None
        self.state: setup.SetupState | None = None
        self._contexts: list[AppContext] = []
        self.location_page = LocationPage(self)
        self.chief_page = ChiefPage(self)
        self.join_page = JoinPage(self)
        self.done_page = DonePage(self)
        self.setPage(PAGE_LOCATION, self.location_page)
        self.setPage(PAGE_CHIEF, self.chief_page)
        self.setPage(PAGE_JOIN, self.join_page)
        self.setPage(PAGE_DONE, self.done_page)
        if reason:
            self.location_page.show_error(reason)

    def connected(
        self, location: setup.Location, target: AppContext, state: setup.SetupState
    ) -> None:
        del location
        self._contexts.append(target)
        self.target = target
        self.state = state

    def signed_in(self, chief: AppContext) -> None:
        self._contexts.append(chief)
        self.target = chief

    def accept(self) -> None:
        """完了: the window opens (before this one hides, so the app never has none)."""
        assert self.target is not None
        for context in self._contexts:
            if context is not self.target:
                context.close()
        self._contexts = [self.target]
        self.finishedWith.emit(self.target)
        super().accept()

    def close_contexts(self) -> None:
        """Cancelled: close every database this wizard opened."""
        self.runner.wait()
        for context in self._contexts:
            context.close()
        self._contexts.clear()
