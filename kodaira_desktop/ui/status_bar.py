"""Where the queue lives, who is acting, whether a dispatcher is alive, and the overdue alarm."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from kodaira_desktop.domain.records import Entry, Heartbeat, User
from kodaira_desktop.services import queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, OK_COLOUR
from kodaira_desktop.ui.workers import TaskRunner

ROLE_LABELS = {"staff": "担当者", "chief": "秘書広報課長"}


@dataclass(frozen=True)
class QueueHealth:
    alive: list[Heartbeat]
    overdue_count: int
    overdue_sample: list[Entry]


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
        for label in (self.database_label, self.user_label, self.dispatcher_label):
            self.addPermanentWidget(label)

    def refresh(self) -> None:
        """Ask the database on a worker; the labels change when the answer arrives."""
        ctx = self.ctx

        def ask() -> QueueHealth:
            count, first = queries.overdue_alarm(ctx)
            return QueueHealth(queries.live_dispatchers(ctx), count, first)

        self._runner.start(ask, self._show, self._show_failure)

    def _show_failure(self, message: str) -> None:
        self.dispatcher_label.setText("送信処理：確認できません")
        self.dispatcher_label.setToolTip(message)
        self.refreshed.emit()

    def _show(self, health: QueueHealth) -> None:
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
                    f"{self.ctx.policy.localize(e.scheduled_at):%Y-%m-%d %H:%M}"
                    for e in health.overdue_sample
                )
            )
        self.alarm_label.setVisible(bool(health.overdue_count))
        self.refreshed.emit()

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
