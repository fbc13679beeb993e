"""「チャンネル」: each channel's state, and the chief's 停止 / 再開 (policy: the chief may
suspend an account when operating it becomes impossible, publishing the reason on the city
website). Suspending holds the channel's waiting posts; resuming releases them."""

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

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Channel
from kodaira_desktop.services import channels, queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import (
    ERROR_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    channel_label,
    ordered_channel_keys,
)
from kodaira_desktop.ui.chief_prompt import ChiefAction, ChiefActionDialog
from kodaira_desktop.ui.table_fill import fill_table, select_row
from kodaira_desktop.ui.workers import TaskRunner

HEADERS = ("チャンネル", "アカウント", "状態", "停止日時・実施者")
SUSPEND_INTRO = (
    "このチャンネルへの投稿を停止します。送信待ちの投稿は保留になり、再開すると戻ります。"
    "停止の理由は市のホームページで公表します（ポリシーによる）。公表する文面で入力してください。"
)


def state_text(channel: Channel) -> str:
    if channel.suspended:
        return f"停止中：{channel.suspended_reason or '理由未記入'}"
    return "稼働中"


class ChannelsView(QWidget):
    loaded = Signal()
    changed = Signal(str)  # the channel key suspended or resumed

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.channels: list[Channel] = []
        self.dialog: ChiefActionDialog | None = None
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("チャンネルの一覧")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.suspend_button = QPushButton("停止…")
        self.resume_button = QPushButton("再開…")
        self.suspend_button.clicked.connect(self.open_suspend)
        self.resume_button.clicked.connect(self.open_resume)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {MUTED_COLOUR};")
        buttons = QHBoxLayout()
        buttons.addWidget(self.suspend_button)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("停止・再開には秘書広報課長のパスワードが必要です。"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def reload(self) -> None:
        ctx = self.ctx
        self.runner.start(lambda: queries.channels(ctx), self._show, self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.message.setText(f"読み込めませんでした：{message}")
        self.loaded.emit()

    def _show(self, found: list[Channel]) -> None:
        chosen = self.selected()
        order = ordered_channel_keys([c.key for c in found])
        self.channels = sorted(found, key=lambda c: order.index(c.key))
        found = self.channels
        rows = [
            (
                (
                    channel_label(channel.key),
                    channel.display_name,
                    state_text(channel),
                    self._suspended_by(channel),
                ),
                ERROR_COLOUR if channel.suspended else OK_COLOUR,
            )
            for channel in found
        ]
        fill_table(self.table, rows, status_column=2, stretch_column=2)
        select_row(self.table, [c.key for c in found], chosen.key if chosen else None)
        self._update_buttons()
        self.loaded.emit()

    def _suspended_by(self, channel: Channel) -> str:
        if not channel.suspended or channel.suspended_at is None:
            return ""
        at = self.ctx.policy.localize(channel.suspended_at)
        return f"{format_instant(at)}　{channel.suspended_by or ''}"

    def selected(self) -> Channel | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.channels):
            return None
        return self.channels[rows[0].row()]

    def select(self, key: str) -> None:
        for row, channel in enumerate(self.channels):
            if channel.key == key:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        channel = self.selected()
        self.suspend_button.setEnabled(channel is not None and not channel.suspended)
        self.resume_button.setEnabled(channel is not None and channel.suspended)

    # -- actions ---------------------------------------------------------------------------

    def open_suspend(self) -> ChiefActionDialog | None:
        channel = self.selected()
        if channel is None:
            return None
        ctx, key = self.ctx, channel.key
        action = ChiefAction(
            "停止する",
            lambda pw, reason, _c: channels.suspend(ctx, key, reason, pw),
            needs_reason=True,
        )
        return self._open(
            ChiefActionDialog(
                self.runner,
                f"{channel_label(key)} の停止",
                SUSPEND_INTRO,
                [action],
                reason_label="停止の理由（公表）",
                reason_hint="例：システム障害のため、当面の間このアカウントの運用を停止します。",
                parent=self,
            ),
            key,
        )

    def open_resume(self) -> ChiefActionDialog | None:
        channel = self.selected()
        if channel is None:
            return None
        ctx, key = self.ctx, channel.key
        action = ChiefAction("再開する", lambda pw, _r, _c: channels.resume(ctx, key, pw))
        intro = (
            f"{channel_label(key)} の運用を再開します。保留中の投稿は、投稿できる次の時刻に"
            "予約し直されます。"
        )
        return self._open(
            ChiefActionDialog(
                self.runner, f"{channel_label(key)} の再開", intro, [action], parent=self
            ),
            key,
        )

    def _open(self, dialog: ChiefActionDialog, key: str) -> ChiefActionDialog:
        dialog.succeeded.connect(lambda label, result: self._done(key, label, result))
        dialog.cancelled.connect(self.message.setText)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _done(self, key: str, label: str, result: object) -> None:
        count = len(result) if isinstance(result, list) else 0
        verb = label.removesuffix("する")
        moved = "保留にした" if verb == "停止" else "予約に戻した"
        self.message.setText(f"{channel_label(key)} を{verb}しました（{moved}投稿 {count} 件）。")
        self.changed.emit(key)
        self.reload()
