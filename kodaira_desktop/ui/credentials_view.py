"""「認証情報」 (the 管理 tab, chiefs only): each channel's credentials for its service.

The chief types the fields (masked) and saves them with their password; they go to this PC's
keyring and are never shown again — the screen says only 「保存済み」, when and by whom. Right
after saving, and whenever 接続を確認 is pressed, a worker asks the service live whose account
they open (X: the @handle, which the composer's previews then show)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.services import admin
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import (
    ERROR_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    channel_label,
    ordered_channel_keys,
)
from kodaira_desktop.ui.chief_prompt import ChiefAction, ChiefActionDialog
from kodaira_desktop.ui.credentials_model import CredentialModel, field_label, saved_text
from kodaira_desktop.ui.wording import for_window
from kodaira_desktop.ui.workers import TaskRunner

SECTION_TITLE = "認証情報"


class CredentialsView(QWidget):
    loaded = Signal()
    #: A save or live check finished (the channel key); the result and table are on screen.
    checked = Signal(str)
    saved = Signal(str)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.dialog: ChiefActionDialog | None = None
        self.statuses: list[admin.CredentialStatus] = []
        self.inputs: dict[str, QLineEdit] = {}
        self._form_key: str | None = None
        self._form_saved = False
        self._select_next: str | None = None
        self._announce: str | None = None
        self.model = CredentialModel(ctx.policy, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("チャンネルごとの認証情報")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.form_box = QGroupBox("チャンネルを選んでください")
        self.form = QFormLayout(self.form_box)
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.save_button = QPushButton("保存して確認…")
        self.save_button.setAccessibleName("認証情報を保存して接続を確認する")
        self.save_button.clicked.connect(self.open_save)
        self.check_button = QPushButton("接続を確認")
        self.check_button.setAccessibleName("保存済みの認証情報で接続を確認する")
        self.check_button.clicked.connect(self.check_selected)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the service answers when it answers
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("接続を確認しています")
        self.progress.hide()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.progress)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        note = QLabel(
            "各サービスの開発者ページで発行した値を入力します。保存した値はこのPCのキーリング"
            "（Windows 資格情報マネージャーなど）に入り、画面には二度と表示されません。"
            "変更するときは、すべての項目を入力し直してください。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.form_box)
        layout.addWidget(self.saved_label)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self._build_form(None)

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        ctx = self.ctx
        self.runner.start(lambda: admin.credential_statuses(ctx), self._show, self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.show_result(f"読み込めませんでした：{message}", error=True)
        self.loaded.emit()

    def _show(self, found: list[admin.CredentialStatus]) -> None:
        chosen = self._select_next or self.selected_key()
        self._select_next = None
        order = ordered_channel_keys([s.channel.key for s in found])
        self.statuses = sorted(found, key=lambda s: order.index(s.channel.key))
        self.model.set_records(self.statuses)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if chosen is not None:
            self.select(chosen)
        self._show_selected()
        self.loaded.emit()
        if self._announce is not None:
            key, self._announce = self._announce, None
            self.checked.emit(key)

    # -- selection and the form ------------------------------------------------------------

    def selected(self) -> admin.CredentialStatus | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.statuses):
            return None
        return self.statuses[rows[0].row()]

    def selected_key(self) -> str | None:
        status = self.selected()
        return status.channel.key if status else None

    def select(self, key: str) -> None:
        for row, status in enumerate(self.statuses):
            if status.channel.key == key:
                self.table.selectRow(row)

    def status_of(self, key: str) -> admin.CredentialStatus:
        return next(s for s in self.statuses if s.channel.key == key)

    def cell(self, key: str, column: int) -> str:
        row = [s.channel.key for s in self.statuses].index(key)
        return str(self.model.data(self.model.index(row, column)))

    def _selection_changed(self) -> None:
        if self.selected_key() != self._form_key:  # another channel: its own result
            self.result.clear()
        self._show_selected()

    def _show_selected(self) -> None:
        status = self.selected()
        if status is None or (status.channel.key, status.saved) != (
            self._form_key,
            self._form_saved,
        ):
            self._build_form(status)
        self.saved_label.setText(
            "" if status is None else f"状態：{saved_text(self.ctx.policy, status)}"
        )
        self._update_buttons()

    def _build_form(self, status: admin.CredentialStatus | None) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs = {}
        self._form_key = status.channel.key if status else None
        self._form_saved = status.saved if status else False
        if status is None:
            self.form_box.setTitle("チャンネルを選んでください")
            return
        key = status.channel.key
        self.form_box.setTitle(f"{channel_label(key)}（{status.channel.display_name}）の認証情報")
        for name in (*status.fields.required, *status.fields.optional):
            edit = QLineEdit()
            secret = name in status.fields.required
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(
                ("保存済み（入力すると置き換えます）" if status.saved else "未入力")
                if secret
                else "任意"
            )
            edit.setAccessibleName(field_label(name))
            edit.setObjectName(name)
            edit.textChanged.connect(self._update_buttons)
            self.inputs[name] = edit
            self.form.addRow(field_label(name), edit)

    def _update_buttons(self) -> None:
        status = self.selected()
        self.save_button.setEnabled(
            status is not None and any(edit.text().strip() for edit in self.inputs.values())
        )
        self.check_button.setEnabled(status is not None and status.saved and not self.checking)

    @property
    def checking(self) -> bool:
        return not self.progress.isHidden()

    def show_result(self, text: str, *, error: bool) -> None:
        colour = ERROR_COLOUR if error else OK_COLOUR
        self.result.setStyleSheet(f"color: {colour};" + (" font-weight: bold;" if error else ""))
        self.result.setText(text)

    # -- saving and checking ---------------------------------------------------------------

    def open_save(self) -> ChiefActionDialog | None:
        status = self.selected()
        if status is None:
            return None
        missing = [n for n in status.fields.required if not self.inputs[n].text().strip()]
        if missing:
            names = "、".join(f"「{field_label(n)}」" for n in missing)
            self.show_result(f"{names}を入力してください。", error=True)
            return None
        ctx, key = self.ctx, status.channel.key
        fields = {name: edit.text() for name, edit in self.inputs.items() if edit.text().strip()}
        dialog = ChiefActionDialog(
            self.runner,
            f"{channel_label(key)} の認証情報を保存",
            f"{channel_label(key)}（{status.channel.display_name}）の認証情報をこのPCのキーリングに"
            "保存し、続けてサービスに接続して、どのアカウントのものかを確認します。",
            [
                ChiefAction(
                    "保存して確認", lambda pw, _r, _c: admin.save_and_check(ctx, key, fields, pw)
                )
            ],
            parent=self,
        )
        dialog.succeeded.connect(lambda _label, outcome: self._saved(key, outcome))
        dialog.cancelled.connect(lambda note: self.show_result(note, error=False))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, key: str, outcome: admin.SaveOutcome) -> None:
        for edit in self.inputs.values():
            edit.clear()  # never shown again
        self._report(key, outcome.check.account if outcome.check else None, outcome.check_error)
        self.saved.emit(key)
        self._reload_keeping(key)

    def check_selected(self) -> None:
        status = self.selected()
        if status is None or self.checking:
            return
        ctx, key = self.ctx, status.channel.key
        self.progress.show()
        self.show_result(f"{channel_label(key)} に接続して確認しています…", error=False)
        self.result.setStyleSheet(f"color: {MUTED_COLOUR};")
        self._update_buttons()
        self.runner.start(
            lambda: admin.check_and_record(ctx, key).account,
            lambda account: self._checked(key, account, None),
            lambda message: self._checked(key, None, message),
        )

    def _checked(self, key: str, account: str | None, error: str | None) -> None:
        self.progress.hide()
        self._report(key, account, error)
        self._reload_keeping(key)

    def _report(self, key: str, account: str | None, error: str | None) -> None:
        if error is not None:
            self.show_result(f"接続を確認できませんでした：{for_window(error)}", error=True)
        else:
            found = f"確認できました：{channel_label(key)} は「{account}」です。"
            self.show_result(found, error=False)
        self._announce = key

    def _reload_keeping(self, key: str) -> None:
        self._select_next = key
        self.reload()
