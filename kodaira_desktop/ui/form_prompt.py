"""A chief's action that needs a small form first (new staff, a display name, channels,
credentials): the form above the chief's password, in one dialog.

The form is read on the GUI thread when the chief presses the action (a mistake in it is
shown at once and costs no password attempt); the worker gets the values, never the widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from kodaira_desktop.ui.chief_prompt import ChiefAction, ChiefActionDialog
from kodaira_desktop.ui.workers import TaskRunner

V = TypeVar("V")


class FormInvalidError(ValueError):
    """The form is not complete: one sentence saying what to fix."""


class FormActionDialog(ChiefActionDialog, Generic[V]):
    def __init__(
        self,
        runner: TaskRunner,
        title: str,
        intro: str,
        label: str,
        form: QWidget,
        collect: Callable[[], V],
        run: Callable[[V, str], object],
        *,
        first_field: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.form = form
        self._collect = collect
        self._values: V | None = None
        self._first_field = first_field

        def body(password: str, _reason: str, _chief: str | None) -> object:
            assert self._values is not None
            return run(self._values, password)

        # What the action does first, then the form, then the chief's password.
        top = QWidget()
        stack = QVBoxLayout(top)
        stack.setContentsMargins(0, 0, 0, 0)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        stack.addWidget(intro_label)
        stack.addWidget(form)
        super().__init__(
            runner,
            title,
            "",
            [ChiefAction(label, body)],
            header=top,
            cancel_note=f"「{title}」は取りやめました。何も変更していません。",
            parent=parent,
        )
        for layout in self.findChildren(QFormLayout):
            password_label = layout.labelForField(self.password)
            if isinstance(password_label, QLabel):
                password_label.setText("あなた（課長）のパスワード")
        self.resize(600, self.sizeHint().height())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._first_field is not None:
            self._first_field.setFocus()

    def run_action(self, action: ChiefAction) -> None:
        try:
            self._values = self._collect()
        except FormInvalidError as error:
            self.show_message(str(error), error=True)
            return
        super().run_action(action)
