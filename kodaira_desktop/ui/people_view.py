"""「職員」 (the 管理 tab's first section, chiefs only): who is registered and active; 追加
(staff or chief), 氏名の変更, 担当チャンネル, and 無効にする — the handover step (人事異動).
Every change is the chief's action confirmed with their password, as on the command line; a
departing chief's key is revoked at the same time (services.handover)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.records import User
from kodaira_desktop.services import accounts, admin, handover, queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import (
    ERROR_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    channel_label,
    ordered_channel_keys,
)
from kodaira_desktop.ui.chief_prompt import ChiefAction, ChiefActionDialog
from kodaira_desktop.ui.form_prompt import FormActionDialog
from kodaira_desktop.ui.people_forms import AddPersonForm, DesignateForm, NewPerson, RenameForm
from kodaira_desktop.ui.table_fill import fill_table, select_row
from kodaira_desktop.ui.workers import TaskRunner

TAB_TITLE = "職員"
HEADERS = ("ログイン名", "氏名", "役割", "担当チャンネル", "状態")
ROLE_LABELS = {"chief": "課長", "staff": "職員"}


class PeopleView(QWidget):
    loaded = Signal()
    changed = Signal(str)  # the login added, renamed, designated or deactivated

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.users: list[User] = []
        self.channel_keys: list[str] = []
        self._select_next: str | None = None
        self.dialog: ChiefActionDialog | None = None
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("職員の一覧")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("職員の一覧")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton("追加…")
        self.add_button.setAccessibleName("職員または課長を追加する")
        self.add_button.clicked.connect(self.open_add)
        self.rename_button = QPushButton("氏名を変更…")
        self.rename_button.setAccessibleName("選んだ職員の氏名を変更する")
        self.rename_button.clicked.connect(self.open_rename)
        self.designate_button = QPushButton("担当チャンネル…")
        self.designate_button.setAccessibleName("選んだ職員の担当チャンネルを変更する")
        self.designate_button.clicked.connect(self.open_designate)
        self.deactivate_button = QPushButton("無効にする…")
        self.deactivate_button.setAccessibleName("選んだ職員を無効にする")
        self.deactivate_button.clicked.connect(self.open_deactivate)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MUTED_COLOUR};")
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.rename_button,
            self.designate_button,
            self.deactivate_button,
        ):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "職員の追加・氏名・担当チャンネルの変更と、人事異動のときの無効化ができます"
                "（どれも課長のパスワードが必要です）。"
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def reload(self) -> None:
        ctx = self.ctx
        self.runner.start(
            lambda: (queries.users(ctx), [c.key for c in queries.channels(ctx)]),
            self._show,
            self._load_failed,
        )

    def _load_failed(self, message: str) -> None:
        self.message.setText(f"読み込めませんでした：{message}")
        self.loaded.emit()

    def _show(self, loaded: tuple[list[User], list[str]]) -> None:
        found, self.channel_keys = loaded
        chosen = self.selected()
        self.users = found
        rows = [
            (
                (
                    user.login,
                    user.display_name,
                    ROLE_LABELS.get(user.role, user.role),
                    "、".join(
                        channel_label(key) for key in ordered_channel_keys(list(user.channels))
                    )
                    or "－",
                    "有効" if user.active else "無効",
                ),
                OK_COLOUR if user.active else ERROR_COLOUR,
            )
            for user in found
        ]
        fill_table(self.table, rows, status_column=4, stretch_column=3)
        key = self._select_next or (chosen.login if chosen else None)
        self._select_next = None
        select_row(self.table, [u.login for u in found], key)
        self._update_buttons()
        self.loaded.emit()

    def selected(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.users):
            return None
        return self.users[rows[0].row()]

    def select(self, login: str) -> None:
        for row, user in enumerate(self.users):
            if user.login == login:
                self.table.selectRow(row)

    def status_of(self, login: str) -> str:
        row = [u.login for u in self.users].index(login)
        item = self.table.item(row, 4)
        return item.text() if item is not None else ""

    def _update_buttons(self) -> None:
        user = self.selected()
        active = user is not None and user.active
        for button in (self.rename_button, self.designate_button, self.deactivate_button):
            button.setEnabled(active)

    # -- actions ---------------------------------------------------------------------------

    def open_add(self) -> FormActionDialog[NewPerson]:
        ctx = self.ctx
        form = AddPersonForm(self.channel_keys)

        def add(person: NewPerson, password: str) -> User:
            return accounts.add_user(
                ctx,
                person.login,
                person.role,
                person.channels,
                display_name=person.display_name,
                chief_password=password,
                new_password=person.password,
            )

        dialog: FormActionDialog[NewPerson] = FormActionDialog(
            self.runner,
            "職員の追加",
            "新しく使う人を登録します。課長として追加する人には、その人自身のパスワードを"
            "決めてもらい、2回入力します。最後に、いまの課長のパスワードで確認します。",
            "追加する",
            form,
            form.collect,
            add,
            first_field=form.login,
            parent=self,
        )
        dialog.succeeded.connect(
            lambda _label, user: self._done(user.login, f"{user.display_name} を追加しました。")
        )
        self._open(dialog)
        return dialog

    def open_rename(self) -> FormActionDialog[str] | None:
        user = self.selected()
        if user is None:
            return None
        ctx, login = self.ctx, user.login
        form = RenameForm(user.display_name)
        dialog: FormActionDialog[str] = FormActionDialog(
            self.runner,
            f"{user.display_name} の氏名を変更",
            f"{login} さんの表示名を変更します。",
            "変更する",
            form,
            form.collect,
            lambda name, pw: admin.set_display_name(ctx, login, name, pw),
            first_field=form.display_name,
            parent=self,
        )
        dialog.succeeded.connect(
            lambda _label, changed: self._done(
                login, f"{login} さんの氏名を「{changed.display_name}」にしました。"
            )
        )
        self._open(dialog)
        return dialog

    def open_designate(self) -> FormActionDialog[tuple[str, ...]] | None:
        user = self.selected()
        if user is None:
            return None
        ctx, login = self.ctx, user.login
        form = DesignateForm(self.channel_keys, sorted(user.channels))
        dialog: FormActionDialog[tuple[str, ...]] = FormActionDialog(
            self.runner,
            f"{user.display_name} の担当チャンネル",
            f"{user.display_name}（{login}）が投稿できるチャンネルを選びます。",
            "変更する",
            form,
            form.collect,
            lambda keys, pw: accounts.set_designations(ctx, login, keys, pw),
            parent=self,
        )
        dialog.succeeded.connect(
            lambda _label, _user: self._done(login, f"{login} さんの担当チャンネルを変更しました。")
        )
        self._open(dialog)
        return dialog

    def _open(self, dialog: ChiefActionDialog) -> None:
        dialog.cancelled.connect(self.message.setText)
        self.dialog = dialog
        dialog.open()

    def open_deactivate(self) -> ChiefActionDialog | None:
        user = self.selected()
        if user is None:
            return None
        ctx, login = self.ctx, user.login
        action = ChiefAction(
            "無効にする", lambda pw, _r, _c: handover.deactivate_user(ctx, login, pw)
        )
        revoke = "課長の署名鍵も失効し、以後その署名は受け付けません。" if user.is_chief else ""
        intro = (
            f"{user.display_name}（{login}）を無効にします。以後この人は操作できません。{revoke}"
        )
        dialog = ChiefActionDialog(
            self.runner, f"{user.display_name} を無効にする", intro, [action], parent=self
        )
        dialog.succeeded.connect(
            lambda _label, _result: self._done(login, f"{login} を無効にしました。")
        )
        self._open(dialog)
        return dialog

    def _done(self, login: str, message: str) -> None:
        self.message.setText(message)
        self.changed.emit(login)
        self._select_next = login
        self.reload()
