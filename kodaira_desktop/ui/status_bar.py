"""Where the queue lives, who is acting, whether a dispatcher is alive, and the overdue alarm."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Entry, Heartbeat, User
from kodaira_desktop.services import queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.outage import DATABASE_UNREACHABLE
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, OK_COLOUR
from kodaira_desktop.ui.dispatch_worker import DispatchWorker
from kodaira_desktop.ui.workers import TaskRunner

#: While the database is unreachable, the status bar asks again this often.
OUTAGE_RECHECK_MS = 5_000
ROLE_LABELS = {"staff": "担当者", "chief": "秘書広報課長"}
TRUST_ROOT_MISSING = "信頼の基点が未設定：緊急投稿の承認を確認できません"


@dataclass(frozen=True)
class QueueHealth:
    alive: list[Heartbeat]
    overdue_count: int
    overdue_sample: list[Entry]
    trust_root_missing: bool = False
    #: Set when a local --policy/KODAIRA_POLICY differs from the signed policy in force.
    policy_note: str | None = None


class QueueStatusBar(QStatusBar):
    #: The labels show a fresh answer from the database.
    refreshed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        user: User | None,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._runner = runner
        self.database_label = QLabel(f"データベース：{database_place(ctx)}")
        self.database_label.setToolTip(redacted_url(ctx.database_url))
        if user is None:
            who = f"利用者：{ctx.login}（未登録）"
        else:
            who = f"利用者：{user.display_name}（{ROLE_LABELS.get(user.role, user.role)}）"
        self.user_label = QLabel(who)
        self.dispatcher_label = QLabel("送信処理：確認中…")
        self.alarm_label = QLabel()
        self.alarm_label.setStyleSheet(
            f"background: {ERROR_COLOUR}; color: white; font-weight: bold; padding: 2px 6px;"
        )
        self.alarm_label.hide()
        self.addWidget(self.alarm_label)
        self.upload_bar = QProgressBar()
        self.upload_bar.setMaximumWidth(220)
        self.upload_bar.hide()
        self.dispatch_error_label = QLabel("⚠ 送信処理のエラー")
        self.dispatch_error_label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.dispatch_error_label.hide()
        self.connection_label = QLabel(DATABASE_UNREACHABLE)
        self.connection_label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.connection_label.setToolTip(
            "データベース（共有サーバー）に接続できません。ネットワークやサーバーが戻れば、"
            "自動的に再接続します。送信処理も再接続を待って続けます。"
        )
        self.connection_label.hide()
        self.addPermanentWidget(self.connection_label)
        for label in (self.database_label, self.user_label, self.dispatcher_label):
            self.addPermanentWidget(label)
        self.addPermanentWidget(self.dispatch_error_label)
        self.trust_label = QLabel(TRUST_ROOT_MISSING)
        self.trust_label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.trust_label.setToolTip(
            "このPCに信頼の基点（trust-root.toml）がありません。課長の署名を検証できないため、"
            "承認済みの緊急投稿もこのPCからは送信されません。管理者に設定を依頼してください。"
        )
        self.trust_label.hide()
        self.addPermanentWidget(self.trust_label)
        self.policy_label = QLabel("ローカルのポリシー：プレビューのみ")
        self.policy_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.policy_label.hide()
        self.addPermanentWidget(self.policy_label)
        self.addPermanentWidget(self.upload_bar)

    def refresh(self) -> None:
        """Ask the database on a worker; the labels change when the answer arrives."""
        ctx = self.ctx

        def ask() -> QueueHealth:
            count, first = queries.overdue_alarm(ctx)
            missing = queries.trust_root_missing(ctx)
            note = queries.policy_preview_note(ctx)
            return QueueHealth(queries.live_dispatchers(ctx), count, first, missing, note)

        self._runner.start(ask, self._show, self._show_failure)

    def _show_failure(self, message: str) -> None:
        unreachable = message == DATABASE_UNREACHABLE
        self.connection_label.setVisible(unreachable)
        if unreachable:  # look again soon: the label clears by itself once it answers
            QTimer.singleShot(OUTAGE_RECHECK_MS, self.refresh)
        self.dispatcher_label.setText("送信処理：確認できません")
        self.dispatcher_label.setToolTip(message)
        self.refreshed.emit()

    def _show(self, health: QueueHealth) -> None:
        self.connection_label.hide()
        if health.alive:
            hosts = "、".join(sorted({h.host_id for h in health.alive}))
            self.dispatcher_label.setText("送信処理：稼働中")
            self.dispatcher_label.setToolTip(f"稼働中の送信処理：{hosts}")
            self.dispatcher_label.setStyleSheet(f"color: {OK_COLOUR};")
        else:
            self.dispatcher_label.setText("送信処理：停止中")
            self.dispatcher_label.setToolTip(
                "どのPCでも送信処理が動いていません。予約した投稿は送信されません。"
            )
            self.dispatcher_label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        if health.overdue_count:
            self.alarm_label.setText(
                f"⚠ 予定時刻を5分以上過ぎた未送信の投稿が {health.overdue_count:,} 件あります"
            )
            self.alarm_label.setToolTip(
                "\n".join(
                    f"#{e.item_id} {e.channel_key} "
                    f"{format_instant(self.ctx.policy.localize(e.scheduled_at))}"
                    for e in health.overdue_sample
                )
            )
        self.alarm_label.setVisible(bool(health.overdue_count))
        self.trust_label.setVisible(health.trust_root_missing)
        self.policy_label.setToolTip(health.policy_note or "")
        self.policy_label.setVisible(health.policy_note is not None)
        self.refreshed.emit()

    # -- the GUI's dispatcher --------------------------------------------------------------

    def follow_dispatch(self, worker: DispatchWorker) -> None:
        worker.uploadProgress.connect(self.show_upload_progress)
        worker.errorOccurred.connect(self.show_dispatch_error)
        worker.passFinished.connect(self._dispatch_pass_finished)
        worker.databaseOutage.connect(self.show_outage)

    def show_outage(self, message: str | None) -> None:
        """The dispatcher lost (a message) or regained (None) the database."""
        self.connection_label.setVisible(message is not None)

    def show_upload_progress(self, entry_id: int, done: int, total: int) -> None:
        if total > 0:
            self.upload_bar.setRange(0, 1000)
            self.upload_bar.setValue(min(1000, done * 1000 // total))
        else:  # size unknown: a busy bar
            self.upload_bar.setRange(0, 0)
        self.upload_bar.setFormat("アップロード中 %p%")
        self.upload_bar.setToolTip(
            f"アップロード中（エントリ {entry_id}）：{done:,} / {total:,} バイト"
        )
        self.upload_bar.setVisible(total <= 0 or done < total)

    def show_dispatch_error(self, message: str) -> None:
        self.upload_bar.hide()
        self.dispatch_error_label.setToolTip(message)
        self.dispatch_error_label.show()

    def _dispatch_pass_finished(self, _report: object) -> None:
        self.upload_bar.hide()
        self.dispatch_error_label.hide()

    @property
    def alarm_shown(self) -> bool:
        return not self.alarm_label.isHidden()


def database_place(ctx: AppContext) -> str:
    return "共有サーバー" if ctx.is_shared_server else "このPC"


def redacted_url(url: str) -> str:
    """The database URL without its password (for a tooltip)."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"
