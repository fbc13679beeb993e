"""The 認証情報 table: each channel's credential status (never a value), and what each
credential field is called in the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.services import admin
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR, OK_COLOUR, channel_label
from kodaira_desktop.ui.record_model import RecordTableModel

SAVED = "保存済み"
NOT_SAVED = "未保存"

#: What each field is called on the services' developer pages, in the window's words.
FIELD_LABELS = {
    "api_key": "APIキー（API Key）",
    "api_secret": "APIキーシークレット（API Key Secret）",
    "access_token": "アクセストークン（Access Token）",
    "access_token_secret": "アクセストークンシークレット（Access Token Secret）",
    "username": "ユーザー名（任意）",
    "channel_access_token": "チャネルアクセストークン（長期）",
    "public_url": "友だち追加URL（任意）",
    "page_id": "ページID",
    "page_access_token": "ページアクセストークン",
    "client_id": "クライアントID",
    "client_secret": "クライアントシークレット",
    "refresh_token": "リフレッシュトークン",
    "category_id": "動画カテゴリID（任意）",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


class CredentialModel(RecordTableModel[admin.CredentialStatus]):
    headers = ("チャンネル", "認証情報", "アカウント（接続確認の結果）")

    def cell_data(self, record: admin.CredentialStatus, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (1, 2):
            bad = not record.saved if column == 1 else record.check_error is not None
            good = record.saved if column == 1 else record.account is not None
            return QColor(ERROR_COLOUR if bad else OK_COLOUR if good else MUTED_COLOUR)
        return None

    def _text(self, record: admin.CredentialStatus, column: int) -> str:
        if column == 0:
            return f"{channel_label(record.channel.key)}（{record.channel.display_name}）"
        if column == 1:
            return saved_text(self._policy, record)
        if record.check_error is not None:
            return f"確認できません：{record.check_error}"
        return record.account or ("未確認" if record.saved else "－")


def saved_text(policy: Any, record: admin.CredentialStatus) -> str:
    """The keyring is this PC's: saved elsewhere (the audit says when) is still 未保存 here."""
    when = (
        f"{format_instant(policy.localize(record.saved_at))}、{record.saved_by}"
        if record.saved_at is not None
        else None
    )
    if not record.saved:
        return f"{NOT_SAVED}（このPC。別のPCで保存：{when}）" if when else NOT_SAVED
    return f"{SAVED}（{when}）" if when else SAVED
