"""What a login that is not registered sees instead of the composer: who the chiefs are, a
request to copy and send them, and — when a chief is at this PC — registering the login on
the spot (staff, the channels ticked, confirmed with the chief's password, as ``users add``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.services import setup
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import (
    ERROR_COLOUR,
    MUTED_COLOUR,
    channel_label,
    ordered_channel_keys,
)
from kodaira_desktop.ui.workers import TaskRunner


class UnregisteredPanel(QWidget):
    #: The chief registered this login: the window can open as it.
    registered = Signal()
    #: The chiefs, channels and request text were read.
    loaded = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unregisteredPanel")
        self.ctx = ctx
        self._runner = runner
        heading = QLabel(
            f"「{ctx.login}」は利用者として登録されていません。"
            "投稿を作成するには、課長に登録と担当媒体の指定を依頼してください。"
        )
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        self.chiefs = QLabel("課長：読み込み中…")
        self.chiefs.setObjectName("chiefNames")
        self.chiefs.setWordWrap(True)
        self.request = QPlainTextEdit()
        self.request.setObjectName("requestText")
        self.request.setReadOnly(True)
        self.request.setAccessibleName("登録の依頼文")
        self.request.setMaximumHeight(130)
        self.copy = QPushButton("コピー")
        self.copy.setObjectName("copyRequest")
        self.copy.setAccessibleName("依頼文をコピー")
        self.copy.clicked.connect(self.copy_request)
        self.copied = QLabel()
        self.copied.setStyleSheet(f"color: {MUTED_COLOUR};")
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy)
        copy_row.addWidget(self.copied, 1)

        self.chief_box = QComboBox()
        self.chief_box.setObjectName("registerChief")
        self.chief_box.setAccessibleName("登録する課長")
        self.display = QLineEdit()
        self.display.setObjectName("registerDisplay")
        self.display.setAccessibleName("表示名")
        self.display.setPlaceholderText("例：田中 花子")
        self.channel_row = QHBoxLayout()
        self.channel_boxes: dict[str, QCheckBox] = {}
        self.password = QLineEdit()
        self.password.setObjectName("registerPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("課長のパスワード")
        self.password.returnPressed.connect(self.register)
        self.register_button = QPushButton("登録して開く")
        self.register_button.setObjectName("registerButton")
        self.register_button.clicked.connect(self.register)
        self.error = QLabel()
        self.error.setObjectName("registerError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.hide()
        form = QFormLayout()
        form.addRow("課長", self.chief_box)
        form.addRow("表示名", self.display)
        form.addRow("担当媒体", self.channel_row)
        form.addRow("課長のパスワード", self.password)
        form.addRow(self.register_button)
        form.addRow(self.error)
        self.here = QGroupBox("課長がこの PC で登録する")
        self.here.setObjectName("registerHere")
        self.here.setLayout(form)
        self.here.setEnabled(False)

        self.channel_row.addStretch(1)
        body = QWidget()
        body.setMaximumWidth(820)
        outer = QHBoxLayout(self)
        outer.addWidget(body)
        outer.addStretch(1)
        layout = QVBoxLayout(body)
        layout.addWidget(heading)
        layout.addWidget(self.chiefs)
        layout.addWidget(QLabel("依頼文（コピーしてメールやチャットで課長に送ってください）"))
        layout.addWidget(self.request)
        layout.addLayout(copy_row)
        layout.addSpacing(12)
        layout.addWidget(self.here)
        layout.addStretch(1)
        self._load()

    def _load(self) -> None:
        ctx = self.ctx

        def read() -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]], str]:
            everyone = [user.display_name for user in setup.chief_names(ctx)]
            acting = [(user.login, user.display_name) for user in setup.acting_chiefs(ctx)]
            return everyone, acting, setup.channel_choices(ctx), setup.registration_request(ctx)

        self._runner.start(read, self._loaded, self._show_error)

    def _loaded(self, result: Any) -> None:
        everyone, acting, channels, request = result
        self.chiefs.setText(
            "課長：" + "、".join(everyone) if everyone else "課長：まだ登録されていません"
        )
        self.request.setPlainText(request)
        for login, name in acting:
            self.chief_box.addItem(f"{name}（{login}）", login)
        for key in ordered_channel_keys([key for key, _name in channels]):
            box = QCheckBox(channel_label(key))
            box.setToolTip(dict(channels)[key])
            box.setObjectName(f"channel-{key}")
            self.channel_boxes[key] = box
            self.channel_row.insertWidget(self.channel_row.count() - 1, box)
        self.here.setEnabled(bool(acting))
        if not acting:
            self.here.setTitle("課長がこの PC で登録する（この PC で確認できる課長がいません）")
        self.loaded.emit()

    def copy_request(self) -> None:
        QApplication.clipboard().setText(self.request.toPlainText())
        self.copied.setText("コピーしました")

    def fill(self, chief: str, password: str, display: str, channels: list[str]) -> None:
        """For tests and walks: the chief, their password, the new user's name and channels."""
        self.chief_box.setCurrentIndex(self.chief_box.findData(chief))
        self.password.setText(password)
        self.display.setText(display)
        for key, box in self.channel_boxes.items():
            box.setChecked(key in channels)

    def register(self) -> None:
        chief = self.chief_box.currentData()
        if not isinstance(chief, str) or not self.here.isEnabled():
            return
        channels = [key for key, box in self.channel_boxes.items() if box.isChecked()]
        password, display = self.password.text(), self.display.text()
        ctx = self.ctx
        self.error.hide()
        self.here.setEnabled(False)

        def done(_user: object) -> None:
            self.password.clear()
            self.registered.emit()

        self._runner.start(
            lambda: setup.register_here(ctx, chief, password, display, channels),
            done,
            self._refused,
        )

    def _refused(self, message: str) -> None:
        self.here.setEnabled(True)
        self.password.clear()
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
