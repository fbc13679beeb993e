"""The forms of the 職員 section: a new staff member or chief, a display name, the channels a
person is designated for. Each reads itself into plain values (`collect`) on the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from kodaira_desktop.domain.records import Role
from kodaira_desktop.services.accounts import MIN_PASSWORD_LENGTH
from kodaira_desktop.ui.channel_style import MUTED_COLOUR, channel_label, ordered_channel_keys
from kodaira_desktop.ui.form_prompt import FormInvalidError

ROLE_CHOICES: tuple[tuple[str, Role], ...] = (("職員", "staff"), ("課長", "chief"))


class ChannelPicker(QWidget):
    """One check box per channel, in the composer's order."""

    def __init__(
        self, keys: Sequence[str], chosen: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, key in enumerate(ordered_channel_keys(list(keys))):
            box = QCheckBox(channel_label(key))
            box.setAccessibleName(f"担当チャンネル {channel_label(key)}")
            box.setChecked(key in chosen)
            self.boxes[key] = box
            grid.addWidget(box, index // 3, index % 3)

    def chosen(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def set_chosen(self, keys: Sequence[str]) -> None:
        for key, box in self.boxes.items():
            box.setChecked(key in keys)


@dataclass(frozen=True)
class NewPerson:
    login: str
    display_name: str
    role: Role
    channels: tuple[str, ...]
    #: The new chief's own password (None for staff).
    password: str | None


def password_hint(password: str) -> str:
    """A gentle strength hint (the rule itself is only the length)."""
    if not password:
        return f"{MIN_PASSWORD_LENGTH}文字以上。"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"あと{MIN_PASSWORD_LENGTH - len(password)}文字以上必要です。"
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) >= 12 and kinds >= 3:
        return "強さ：十分です。"
    return "強さ：ふつう（12文字以上で、英大文字・小文字・数字・記号を混ぜると強くなります）。"


class AddPersonForm(QWidget):
    def __init__(self, channel_keys: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.login = QLineEdit()
        self.login.setPlaceholderText("Windows のログイン名（例：tanaka）")
        self.login.setAccessibleName("ログイン名")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("例：田中 花子")
        self.display_name.setAccessibleName("氏名")
        self.role = QComboBox()
        self.role.setAccessibleName("役割")
        for label, role in ROLE_CHOICES:
            self.role.addItem(label, role)
        self.channels = ChannelPicker(channel_keys)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("新しい課長のパスワード")
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again.setAccessibleName("新しい課長のパスワード（確認）")
        self.hint = QLabel(password_hint(""))
        self.hint.setStyleSheet(f"color: {MUTED_COLOUR};")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("ログイン名", self.login)
        form.addRow("氏名", self.display_name)
        form.addRow("役割", self.role)
        form.addRow("担当チャンネル", self.channels)
        form.addRow("新しい課長のパスワード", self.password)
        form.addRow("もう一度", self.password_again)
        form.addRow("", self.hint)
        self._form = form
        self.role.currentIndexChanged.connect(self._role_changed)
        self.password.textChanged.connect(lambda text: self.hint.setText(password_hint(text)))
        self._role_changed()

    def set_role(self, role: Role) -> None:
        self.role.setCurrentIndex([r for _label, r in ROLE_CHOICES].index(role))

    def chosen_role(self) -> Role:
        return "chief" if self.role.currentData() == "chief" else "staff"

    def _role_changed(self) -> None:
        chief = self.chosen_role() == "chief"
        for row in (4, 5, 6):
            self._form.setRowVisible(row, chief)

    def collect(self) -> NewPerson:
        login = self.login.text().strip()
        if not login:
            raise FormInvalidError("ログイン名を入力してください。")
        name = " ".join(self.display_name.text().split()) or login
        role = self.chosen_role()
        password = None
        if role == "chief":
            password = self.password.text()
            if len(password) < MIN_PASSWORD_LENGTH:
                raise FormInvalidError(
                    f"新しい課長のパスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください。"
                )
            if password != self.password_again.text():
                raise FormInvalidError("新しい課長のパスワードが2回とも同じではありません。")
        return NewPerson(login, name, role, tuple(self.channels.chosen()), password)


class RenameForm(QWidget):
    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.display_name = QLineEdit(current)
        self.display_name.setAccessibleName("新しい氏名")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("氏名", self.display_name)

    def collect(self) -> str:
        name = " ".join(self.display_name.text().split())
        if not name:
            raise FormInvalidError("氏名を入力してください。")
        return name


class DesignateForm(QWidget):
    def __init__(
        self, channel_keys: Sequence[str], chosen: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.channels = ChannelPicker(channel_keys, chosen)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("担当チャンネル", self.channels)

    def collect(self) -> tuple[str, ...]:
        return tuple(self.channels.chosen())
