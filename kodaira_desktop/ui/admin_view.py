"""「管理」 (chiefs only): the section's administration in the window — 職員 (people),
認証情報 (each service's credentials), 配信PC (which PCs dispatch). Each section loads when it
is shown; every change is the chief's action confirmed with their password."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.credentials_view import SECTION_TITLE as CREDENTIALS
from kodaira_desktop.ui.credentials_view import CredentialsView
from kodaira_desktop.ui.dispatchers_view import SECTION_TITLE as DISPATCHERS
from kodaira_desktop.ui.dispatchers_view import DispatchersView
from kodaira_desktop.ui.people_view import TAB_TITLE as PEOPLE
from kodaira_desktop.ui.people_view import PeopleView
from kodaira_desktop.ui.workers import TaskRunner

TAB_TITLE = "管理"


class AdminView(QWidget):
    #: Something the rest of the window shows changed (people, or a channel's handle).
    changed = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people = PeopleView(ctx, runner)
        self.credentials = CredentialsView(ctx, runner)
        self.dispatchers = DispatchersView(ctx, runner)
        self.sections = QTabWidget()
        self.sections.setAccessibleName("管理の項目")
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.people, PEOPLE)
        self.sections.addTab(self.credentials, CREDENTIALS)
        self.sections.addTab(self.dispatchers, DISPATCHERS)
        self.sections.currentChanged.connect(lambda _index: self.reload())
        self.people.changed.connect(lambda _login: self.changed.emit())
        self.credentials.checked.connect(lambda _key: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sections)

    def reload(self) -> None:
        """Load the section on screen."""
        current = self.sections.currentWidget()
        if current is self.people:
            self.people.reload()
        elif current is self.credentials:
            self.credentials.reload()
        elif current is self.dispatchers:
            self.dispatchers.reload()

    def open_section(self, title: str) -> QWidget:
        for index in range(self.sections.count()):
            if self.sections.tabText(index) == title:
                self.sections.setCurrentIndex(index)
        widget = self.sections.currentWidget()
        assert widget is not None
        return widget
