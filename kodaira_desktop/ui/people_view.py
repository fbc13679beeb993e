"""「職員」 (chiefs only): who is registered and active, and 無効にする — the handover step
(人事異動). Deactivating is the chief's action confirmed with their password; a departing
chief's key is revoked at the same time (services.handover)."""

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
from kodaira_desktop.services import handover, queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR, OK_COLOUR
from kodaira_desktop.ui.chief_prompt import ChiefAction, ChiefActionDialog
from kodaira_desktop.ui.table_fill import fill_table, select_row
from kodaira_desktop.ui.workers import TaskRunner

TAB_TITLE = "職員"
HEADERS = ("ログイン名", "氏名", "役割", "担当チャンネル", "状態")
ROLE_LABELS = {"chief": "課長", "staff": "職員"}


class PeopleView(QWidget):
    loaded = Signal()
    changed = Signal(str)  # the login deactivated

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.users: list[User] = []
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
        self.deactivate_button = QPushButton("無効にする…")
        self.deactivate_button.setAccessibleName("選んだ職員を無効にする")
        self.deactivate_button.clicked.connect(self.open_deactivate)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MUTED_COLOUR};")
        buttons = QHBoxLayout()
        buttons.addWidget(self.deactivate_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("人事異動のときは、異動する職員を無効にします（課長のパスワードが必要です）。")
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def reload(self) -> None:
        ctx = self.ctx
        self.runner.start(lambda: queries.users(ctx), self._show, self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.message.setText(f"読み込めませんでした：{message}")
        self.loaded.emit()

    def _show(self, found: list[User]) -> None:
        chosen = self.selected()
        self.users = found
        rows = [
            (
                (
                    user.login,
                    user.display_name,
                    ROLE_LABELS.get(user.role, user.role),
                    "、".join(sorted(user.channels)) or "－",
                    "有効" if user.active else "無効",
                ),
                OK_COLOUR if user.active else ERROR_COLOUR,
            )
            for user in found
        ]
        fill_table(self.table, rows, status_column=4, stretch_column=3)
        select_row(self.table, [u.login for u in found], chosen.login if chosen else None)
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
        self.deactivate_button.setEnabled(user is not None and user.active)

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
        dialog.succeeded.connect(lambda _label, _result: self._done(login))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _done(self, login: str) -> None:
        self.message.setText(f"{login} を無効にしました。")
        self.changed.emit(login)
        self.reload()
