"""A dialog in which the chief (秘書広報課長) confirms an action with their password.

The action runs on the TaskRunner (unlocking the chief's key is deliberately slow); a refusal
(wrong password, lockout, a reason missing) is shown in the dialog as the service wrote it and
the dialog stays open, so nothing changes until the chief gets it right or cancels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.records import User
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR
from kodaira_desktop.ui.workers import TaskRunner

#: Worker body: (password, reason, chief login or None for the acting user) -> result.
ActionBody = Callable[[str, str, str | None], object]


@dataclass(frozen=True)
class ChiefAction:
    label: str
    run: ActionBody
    needs_reason: bool = False


class ChiefActionDialog(QDialog):
    """Enter in the password field runs the first action (the default button); Esc or
    キャンセル closes the dialog and ``cancelled`` says what did not happen."""

    #: The action's label and its result; the dialog then closes.
    succeeded = Signal(str, object)
    #: The service refused (the message as shown); the dialog stays open.
    failed = Signal(str)
    #: Closed without an action: one sentence saying what did not happen.
    cancelled = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        title: str,
        intro: str,
        actions: Sequence[ChiefAction],
        *,
        header: QWidget | None = None,
        reason_label: str = "理由",
        reason_hint: str = "",
        pick_chief: bool = False,
        cancel_note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.cancel_note = cancel_note or f"「{title}」は取りやめました。何も変更していません。"
        self._runner = runner
        self._busy = False
        self.result_value: object = None
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        self.chief_box = QComboBox()
        self.chief_box.setPlaceholderText("読み込み中…")
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(reason_hint)
        self.reason.setFixedHeight(72)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("課長のパスワード")
        self.password.setAccessibleName("課長のパスワード")
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        if pick_chief:
            form.addRow("確認する課長", self.chief_box)
        if any(a.needs_reason for a in actions):
            form.addRow(reason_label, self.reason)
        form.addRow("パスワード", self.password)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.action_buttons: dict[str, QPushButton] = {}
        self._actions = list(actions)
        for index, action in enumerate(self._actions):
            button = QPushButton(action.label)
            button.setAutoDefault(False)
            button.setDefault(index == 0)
            button.clicked.connect(lambda _=False, a=action: self.run_action(a))
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            self.action_buttons[action.label] = button
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert self.cancel_button is not None
        self.cancel_button.setText("キャンセル")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setDefault(False)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        if header is not None:
            layout.addWidget(header, 1)
        layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._pick_chief = pick_chief
        for signal in (self.password.textChanged, self.reason.textChanged):
            signal.connect(self._update_buttons)
        self.chief_box.currentIndexChanged.connect(self._update_buttons)
        self._update_buttons()
        self.resize(560, 420 if header is None else 640)
        self.password.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.password.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Enter runs the default action (QDialog would click the default button even when
        # a reason typed for 却下 makes 承認 a guess); plain-text fields keep their Enter.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.reason.hasFocus():
            self._run_default()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self._busy:  # the action is running: its result decides, not a stray Esc
            return
        super().reject()
        self.cancelled.emit(self.cancel_note)

    def _run_default(self) -> None:
        """Enter runs the first action. When a reason has been typed
        and another action takes it (承認 / 却下), Enter would be a guess: ask instead."""
        first = self._actions[0]
        if self.reason_text() and any(a.needs_reason for a in self._actions[1:]):
            labels = "・".join(a.label for a in self._actions)
            self.show_message(
                f"理由が入力されています。{labels}のどれかのボタンを押してください。", error=True
            )
            return
        if self.action_buttons[first.label].isEnabled():
            self.run_action(first)

    # -- inputs ----------------------------------------------------------------------------

    def set_chiefs(self, chiefs: Sequence[User]) -> None:
        self.chief_box.clear()
        self.chief_box.setPlaceholderText("課長が登録されていません")
        for chief in chiefs:
            self.chief_box.addItem(f"{chief.display_name}（{chief.login}）", chief.login)
        if chiefs:
            self.chief_box.setCurrentIndex(0)
        self._update_buttons()

    def chosen_chief(self) -> str | None:
        if not self._pick_chief:
            return None
        login = self.chief_box.currentData()
        return str(login) if login else None

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _update_buttons(self) -> None:
        ready = bool(self.password.text()) and not self._busy
        if self._pick_chief:
            ready = ready and self.chosen_chief() is not None
        for action in self._actions:
            needs = action.needs_reason and not self.reason_text()
            self.action_buttons[action.label].setEnabled(ready and not needs)
        self.cancel_button.setEnabled(not self._busy)

    # -- running ---------------------------------------------------------------------------

    def run_action(self, action: ChiefAction) -> None:
        if self._busy:
            return
        password, reason, chief = self.password.text(), self.reason_text(), self.chosen_chief()
        self.password.clear()  # keep the password in memory no longer than needed
        self._set_busy(True)
        self.show_message("確認しています…", error=False)
        self._runner.start(
            lambda: action.run(password, reason, chief),
            lambda result: self._succeeded(action, result),
            self._failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _succeeded(self, action: ChiefAction, result: object) -> None:
        self._set_busy(False)
        self.result_value = result
        self.show_message("", error=False)
        self.succeeded.emit(action.label, result)
        self.accept()

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.show_message(message, error=True)
        self.password.setFocus()
        self.failed.emit(message)

    def show_message(self, text: str, *, error: bool) -> None:
        colour = ERROR_COLOUR if error else MUTED_COLOUR
        self.message.setStyleSheet(f"color: {colour};" + (" font-weight: bold;" if error else ""))
        self.message.setText(text)
