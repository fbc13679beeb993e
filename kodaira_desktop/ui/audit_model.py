"""The audit trail as a table, paged from the database (times in JST)."""

from __future__ import annotations

from typing import Any, Final

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import AuditRow
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.ui.record_model import PagedRecordModel

COLUMN_SEQ: Final = 0
COLUMN_AT: Final = 1
COLUMN_ACTOR: Final = 2
COLUMN_ACTION: Final = 3
COLUMN_TARGET: Final = 4
COLUMN_DETAILS: Final = 5
HEADERS: Final = ("番号", "日時（日本時間）", "操作者", "操作", "対象", "詳細")
ROW_ROLE: Final = Qt.ItemDataRole.UserRole + 1

#: What an action means, in the UI's language (the code stays in the tooltip and the CSV).
ACTION_LABELS: Final[dict[str, str]] = {
    "item.created": "項目の作成",
    "item.edited": "項目の変更",
    "item.cancelled": "予約の取り消し",
    "override.requested": "緊急投稿の依頼",
    "override.approved": "緊急投稿の承認",
    "override.rejected": "緊急投稿の却下",
    "override.expired": "緊急投稿の期限切れ",
    "override.refused": "承認の署名が無効",
    "chief.confirmed": "課長の本人確認",
    "chief.password_wrong": "課長のパスワード誤り",
    "chief.confirm_locked": "課長の確認（ロック中）",
    "chief.confirm_refused": "課長ではない確認",
    "channel.suspended": "チャンネル停止",
    "channel.resumed": "チャンネル再開",
    "credentials.set": "認証情報の設定",
    "entry.published": "投稿完了",
    "entry.failed": "送信失敗",
    "entry.refused": "送信前の確認で拒否",
    "entry.unknown": "送信結果不明",
    "entry.retry": "再試行待ち",
    "entry.held": "保留",
    "entry.recovered": "送信状態の回復",
    "entry.marked_published": "投稿済みにした",
    "entry.marked_resend": "再送信にした",
    "user.added": "利用者の追加",
    "user.chief_created": "課長の登録",
    "user.designations_changed": "担当媒体の変更",
    "user.password_changed": "パスワード変更",
}

#: The action filter's choices: (label, prefix).
ACTION_FILTERS: Final[tuple[tuple[str, str | None], ...]] = (
    ("すべての操作", None),
    ("緊急投稿", "override."),
    ("課長の確認", "chief."),
    ("項目", "item."),
    ("送信・結果", "entry."),
    ("チャンネル", "channel."),
    ("認証情報", "credentials."),
    ("利用者", "user."),
)

AnyIndex = QModelIndex | QPersistentModelIndex


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


class AuditTableModel(PagedRecordModel[AuditRow]):
    """Rows fetched page by page (``services.queries.audit_page``/``audit_count``)."""

    headers = HEADERS

    def __init__(self, policy: PostingPolicy, parent: QObject | None = None) -> None:
        super().__init__(policy, parent)
        self._broken_seq: int | None = None

    def rows(self) -> list[AuditRow]:
        """The rows fetched so far, in table order."""
        return self.loaded_records()

    def set_broken_seq(self, seq: int | None) -> None:
        """Rows from ``seq`` on are drawn as suspect (the chain breaks there)."""
        self._broken_seq = seq
        if self.total:
            last = self.index(self.total - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.BackgroundRole])

    def cell_data(self, row: AuditRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.action if column == COLUMN_ACTION else str(self._display(row, column))
        if role == Qt.ItemDataRole.BackgroundRole and self._is_suspect(row):
            return QBrush(QColor("#ffcdd2"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COLUMN_SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None

    def _display(self, row: AuditRow, column: int) -> str | int | None:
        if column == COLUMN_SEQ:
            return row.seq
        if column == COLUMN_AT:
            return format_instant(self._policy.localize(row.at), seconds=True)
        if column == COLUMN_ACTOR:
            return row.actor
        if column == COLUMN_ACTION:
            return action_label(row.action)
        if column == COLUMN_TARGET:
            return row.target
        if column == COLUMN_DETAILS:
            return "" if row.details == "{}" else row.details
        return None

    def _is_suspect(self, row: AuditRow) -> bool:
        return self._broken_seq is not None and row.seq >= self._broken_seq
