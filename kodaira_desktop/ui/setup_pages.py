"""The first-run wizard's pages (see ``ui/setup_wizard.py``): where the queue lives, the first
chief, the first PC's trust-root.toml, and the fingerprint at the end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from kodaira_desktop.services import setup
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR
from kodaira_desktop.ui.wording import for_window

if TYPE_CHECKING:
    from kodaira_desktop.ui.setup_wizard import SetupWizard

PAGE_LOCATION, PAGE_CHIEF, PAGE_JOIN, PAGE_DONE = range(4)


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.hide()
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {MUTED_COLOUR};")
    return label


def _without_password(url: str) -> str:
    try:
        return setup.split_password(url)[0]
    except Exception:
        return ""


class _StepPage(QWizardPage):
    """A page whose 次へ runs ``step()`` on a worker: the wizard moves on once it succeeds for
    the inputs as they are; a failure is shown on the page."""

    def __init__(self, wizard: SetupWizard, error_name: str) -> None:
        super().__init__()
        self.setup_wizard = wizard
        self.error = _error_label(error_name)
        self._passed: object = None
        self._busy = False

    def inputs(self) -> object:
        return None

    def step(self) -> Callable[[], Any]:
        raise NotImplementedError

    def stepped(self, result: Any) -> None:
        """On the GUI thread after ``step`` succeeded."""

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    @property
    def busy(self) -> bool:
        return self._busy

    def validatePage(self) -> bool:  # noqa: N802
        if self._passed is not None and self._passed == self.inputs():
            return True
        if self._busy:
            return False
        try:
            work = self.step()
        except (ValueError, ServiceError) as error:
            self.show_error(for_window(str(error)))
            return False
        self._busy = True
        self.error.hide()
        self.setEnabled(False)

        def done(result: object) -> None:
            self._busy = False
            self.setEnabled(True)
            self.stepped(result)
            self._passed = self.inputs()  # as left by stepped() (passwords cleared)
            self.setup_wizard.next()

        def failed(message: str) -> None:
            self._busy = False
            self.setEnabled(True)
            self.show_error(message)

        self.setup_wizard.runner.start(work, done, failed)
        return False


class LocationPage(_StepPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "locationError")
        ctx = wizard.ctx
        self.setTitle("予約データの保存先")
        self.setSubTitle("投稿予約のデータをどこに置くかを選びます。")
        self.local = QRadioButton("この PC（この PC だけで使う）")
        self.local.setObjectName("locationLocal")
        self.server = QRadioButton("共有サーバー（課の複数の PC で使う）")
        self.server.setObjectName("locationServer")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)
        self.local_path = _note(f"保存先：{setup.local_url(ctx).removeprefix('sqlite:///')}")
        self.url = QLineEdit(_without_password(ctx.database_url) if ctx.is_shared_server else "")
        self.url.setObjectName("serverUrl")
        self.url.setPlaceholderText("postgresql://kodaira@dbhost/kodaira")
        self.url.setAccessibleName("サーバーの URL")
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("サーバーのパスワード")
        self.password.setPlaceholderText("パスワードは OS の資格情報ストアに保存されます")
        form = QFormLayout()
        form.addRow("サーバーの URL", self.url)
        form.addRow("パスワード", self.password)
        self.server_box = QWidget()
        self.server_box.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.local_path)
        layout.addSpacing(8)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        layout.addWidget(
            _note(
                "次へ を押すと接続を確認します。パスワードはファイルには書かず、"
                "OS の資格情報ストア（キーリング）にだけ保存します。"
            )
        )
        layout.addWidget(self.error)
        layout.addStretch(1)
        (self.server if ctx.is_shared_server else self.local).setChecked(True)
        self.local.toggled.connect(self._switch)
        self._switch()

    def _switch(self) -> None:
        self.server_box.setEnabled(self.server.isChecked())

    def fill(self, *, url: str | None = None, password: str = "") -> None:
        """Choose この PC (``url`` None) or 共有サーバー at ``url`` with ``password``."""
        if url is None:
            self.local.setChecked(True)
            return
        self.server.setChecked(True)
        self.url.setText(url)
        self.password.setText(password)

    def inputs(self) -> object:
        if self.local.isChecked():
            return ("local",)
        return ("server", self.url.text().strip(), self.password.text())

    def step(self) -> Callable[[], Any]:
        ctx = self.setup_wizard.ctx
        if self.local.isChecked():
            location = setup.Location(setup.local_url(ctx))
        else:
            if not self.url.text().strip():
                raise ValueError("サーバーの URL を入力してください。")
            bare, in_url = setup.split_password(self.url.text())
            location = setup.Location(bare, self.password.text() or in_url)

        def work() -> tuple[setup.Location, AppContext, setup.SetupState]:
            target, state = setup.connect(ctx, location)
            setup.remember(ctx, location)
            return location, target, state

        return work

    def stepped(self, result: Any) -> None:
        location, target, state = result
        self.password.clear()  # in the keyring now; not kept in the window
        if location.is_server:
            self.url.setText(location.url)  # without a password typed into the URL
        self.setup_wizard.connected(location, target, state)

    def nextId(self) -> int:  # noqa: N802
        state = self.setup_wizard.state
        if state is setup.SetupState.NO_CHIEF:
            return PAGE_CHIEF
        if state is setup.SetupState.JOIN:
            return PAGE_JOIN
        return PAGE_DONE


class ChiefPage(_StepPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "chiefError")
        self.setTitle("最初の課長（秘書広報課長）")
        self.setSubTitle(
            "承認や職員の登録を行う課長を登録します。パスワードは課長の操作の確認に使います。"
        )
        self.login = QLineEdit(wizard.ctx.login)
        self.login.setObjectName("chiefLogin")
        self.display = QLineEdit()
        self.display.setObjectName("chiefDisplay")
        self.display.setPlaceholderText("例：秘書広報課長 小平 太郎")
        self.password = QLineEdit()
        self.password.setObjectName("chiefPassword")
        self.again = QLineEdit()
        self.again.setObjectName("chiefPasswordAgain")
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel(setup.password_hint(""))
        self.hint.setObjectName("strengthHint")
        self.password.textChanged.connect(lambda text: self.hint.setText(setup.password_hint(text)))
        form = QFormLayout(self)
        form.addRow("ログイン名", self.login)
        form.addRow("表示名", self.display)
        form.addRow("パスワード（8文字以上）", self.password)
        form.addRow("パスワード（確認）", self.again)
        form.addRow("強さ", self.hint)
        form.addRow(self.error)
        for field, name in (
            (self.login, "課長のログイン名"),
            (self.display, "課長の表示名"),
            (self.password, "課長のパスワード"),
            (self.again, "課長のパスワード（確認）"),
        ):
            field.setAccessibleName(name)

    def fill(self, login: str, display: str, password: str, again: str | None = None) -> None:
        self.login.setText(login)
        self.display.setText(display)
        self.password.setText(password)
        self.again.setText(password if again is None else again)

    def inputs(self) -> object:
        return (self.login.text(), self.display.text(), self.password.text(), self.again.text())

    def step(self) -> Callable[[], Any]:
        target = self.setup_wizard.target
        assert target is not None
        login, display, password, again = (
            self.login.text(),
            self.display.text(),
            self.password.text(),
            self.again.text(),
        )
        return lambda: setup.create_first_chief(target, login, display, password, again)

    def stepped(self, result: Any) -> None:
        self.password.clear()
        self.again.clear()
        self.setup_wizard.signed_in(result)

    def nextId(self) -> int:  # noqa: N802
        return PAGE_DONE


class JoinPage(_StepPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "joinError")
        self.setTitle("信頼の起点の取り込み")
        self.setSubTitle("この共有サーバーには課長が登録済みです。")
        self.file = QLineEdit()
        self.file.setObjectName("trustRootFile")
        self.file.setReadOnly(True)
        self.file.setAccessibleName("trust-root.toml の場所")
        browse = QPushButton("ファイルを選ぶ…")
        browse.setObjectName("chooseTrustRoot")
        browse.clicked.connect(self._browse)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("joinFingerprint")
        self.fingerprint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "最初の PC の trust-root.toml（情報システム担当から受け取ったもの）を"
                "選んでください。"
            )
        )
        layout.addLayout(row)
        layout.addWidget(self.fingerprint)
        layout.addWidget(
            _note(
                "指紋が最初の PC の初期設定で表示されたものと同じか、読み合わせて確認してください。"
            )
        )
        layout.addWidget(self.error)
        layout.addStretch(1)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "trust-root.toml を選ぶ", "", "信頼の起点 (trust-root.toml *.toml)"
        )
        if chosen:
            self.fill(Path(chosen))

    def fill(self, path: Path) -> None:
        """Choose the file; its fingerprint is shown at once."""
        self.file.setText(str(path))
        self.error.hide()
        try:
            root = setup.read_trust_root_file(path)
        except Exception as error:
            self.fingerprint.clear()
            self.show_error(str(error).split(" / ")[0])
            return
        self.fingerprint.setText(f"指紋：{root.fingerprint}\n（課長：{root.chief_login}）")

    def inputs(self) -> object:
        return self.file.text()

    def step(self) -> Callable[[], Any]:
        target = self.setup_wizard.target
        assert target is not None
        if not self.file.text():
            raise ValueError("trust-root.toml を選んでください。")
        path = Path(self.file.text())
        return lambda: setup.import_trust_root(target, path)

    def nextId(self) -> int:  # noqa: N802
        return PAGE_DONE


class DonePage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setup_wizard = wizard
        self.setTitle("準備ができました")
        self.setSubTitle("信頼の起点をこの PC に設定しました。")
        self.summary = QLabel()
        self.summary.setObjectName("doneSummary")
        self.summary.setWordWrap(True)
        self.fingerprint = QLineEdit()
        self.fingerprint.setObjectName("doneFingerprint")
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setAccessibleName("信頼の起点の指紋")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("信頼の起点の指紋（ほかの PC を加えるときに読み合わせます）"))
        layout.addWidget(self.fingerprint)
        layout.addWidget(
            _note(
                "信頼の起点ファイル trust-root.toml は、ほかの PC を加えるときに情報システム担当が"
                "配布します。完了 を押すと投稿予約の画面が開きます。"
            )
        )
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        wizard = self.setup_wizard
        target = wizard.target
        assert target is not None
        self.fingerprint.setText(setup.pinned_fingerprint(target))
        where = "共有サーバー" if target.is_shared_server else "この PC"
        self.summary.setText(
            f"予約データの保存先：{where}\n{target.login} さんとして投稿予約の画面を開きます。"
        )
