"""Where the queue lives, who is acting, whether a dispatcher is alive, and the overdue alarm."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from kodaira_desktop.domain.records import User
from kodaira_desktop.services import queries
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, OK_COLOUR

ROLE_LABELS = {"staff": "担当者", "chief": "秘書広報課長"}


class QueueStatusBar(QStatusBar):
    def __init__(self, ctx: AppContext, user: User | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        where = "共有サーバー" if ctx.is_shared_server else "このPC"
        self.database_label = QLabel(f"データベース：{where}")
        self.database_label.setToolTip(_without_password(ctx.database_url))
        if user is None:
            who = f"利用者：{ctx.login}（未登録）"
        else:
            who = f"利用者：{user.display_name}（{ROLE_LABELS.get(user.role, user.role)}）"
        self.user_label = QLabel(who)
        self.dispatcher_label = QLabel()
        self.alarm_label = QLabel()
        self.alarm_label.setStyleSheet(
            f"background: {ERROR_COLOUR}; color: white; font-weight: bold; padding: 2px 6px;"
        )
        self.alarm_label.hide()
        self.addWidget(self.alarm_label)
        for label in (self.database_label, self.user_label, self.dispatcher_label):
            self.addPermanentWidget(label)
        self.refresh()

    def refresh(self) -> None:
        try:
            alive = queries.live_dispatchers(self.ctx)
            overdue = queries.overdue_entries(self.ctx)
        except ServiceError as error:
            self.dispatcher_label.setText(f"状態を確認できません：{error}")
            return
        if alive:
            hosts = "、".join(sorted({h.host_id for h in alive}))
            self.dispatcher_label.setText("送信処理：稼働中")
            self.dispatcher_label.setToolTip(f"稼働中の送信処理：{hosts}")
            self.dispatcher_label.setStyleSheet(f"color: {OK_COLOUR};")
        else:
            self.dispatcher_label.setText("送信処理：停止中")
            self.dispatcher_label.setToolTip(
                "どのPCでも送信処理が動いていません。予約した投稿は送信されません。"
            )
            self.dispatcher_label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        if overdue:
            self.alarm_label.setText(
                f"⚠ 予定時刻を5分以上過ぎた未送信の投稿が {len(overdue)} 件あります"
            )
            self.alarm_label.setToolTip(
                "\n".join(
                    f"#{e.item_id} {e.channel_key} "
                    f"{self.ctx.policy.localize(e.scheduled_at):%Y-%m-%d %H:%M}"
                    for e in overdue[:20]
                )
            )
        self.alarm_label.setVisible(bool(overdue))

    @property
    def alarm_shown(self) -> bool:
        return not self.alarm_label.isHidden()


def _without_password(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"
