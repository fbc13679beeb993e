"""Emergency requests (緊急投稿) as the GUI shows them: the request with its item and names,
loaded on a worker, and a read-only summary of exactly what the chief is asked to confirm."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QTabWidget, QWidget

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Item, OverrideRequest
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.services import approvals, compose, queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import channel_label, ordered_channel_keys

STATUS_LABELS: Final[dict[str, str]] = {
    "pending": "課長の確認待ち",
    "approved": "承認済み",
    "rejected": "却下",
    "expired": "期限切れ",
}


@dataclass(frozen=True)
class RequestView:
    request: OverrideRequest
    item: Item
    requester_name: str
    decider_name: str | None = None

    @property
    def live_entries(self) -> list[tuple[str, str]]:
        """(channel key, text) of what would be sent, in the composer's channel order."""
        texts = {
            e.channel_key: e.text for e in self.item.entries if e.state != EntryState.CANCELLED
        }
        return [(key, texts[key]) for key in ordered_channel_keys(list(texts))]

    @property
    def channels_text(self) -> str:
        return "、".join(channel_label(key) for key, _ in self.live_entries) or "―"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.request.status, self.request.status)


def media_text(item: Item) -> str:
    """One line per attached file: name, type, the start of its SHA-256, and its public URL."""
    lines = []
    for attached in item.media:
        media = attached.media
        line = f"{media.original_name}（{media.mime}・SHA-256 {media.sha256[:12]}…）"
        if attached.public_url:
            line += f"\n　画像URL: {attached.public_url}"
        lines.append(line)
    return "\n".join(lines)


def _view(ctx: AppContext, request: OverrideRequest, names: dict[str, str]) -> RequestView:
    decider = request.decided_by
    return RequestView(
        request=request,
        item=compose.get_item(ctx, request.item_id),
        requester_name=names.get(request.requested_by, request.requested_by),
        decider_name=names.get(decider, decider) if decider else None,
    )


def load_pending(ctx: AppContext) -> list[RequestView]:
    """Worker body: every request awaiting a chief, oldest first."""
    names = queries.display_names(ctx)
    return [_view(ctx, request, names) for request in queries.pending_overrides(ctx)]


def load_own(ctx: AppContext) -> list[RequestView]:
    """Worker body: the acting user's requests of every status, newest first."""
    names = queries.display_names(ctx)
    own = queries.override_requests(ctx, requested_by=ctx.login)
    return [_view(ctx, request, names) for request in reversed(own)]


def load_one(ctx: AppContext, item_id: int) -> RequestView:
    """Worker body: the item's request still awaiting a chief (ServiceError when none)."""
    return _view(ctx, approvals.pending_for(ctx, item_id), queries.display_names(ctx))


class RequestSummary(QWidget):
    """What the chief confirms: item, time, reason, requester, and each channel's text."""

    def __init__(self, policy: PostingPolicy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self.item_label = QLabel("―")
        self.when_label = QLabel("―")
        self.deadline_label = QLabel("―")
        self.deadline_label.setWordWrap(True)
        self.requester_label = QLabel("―")
        self.channels_label = QLabel("―")
        self.reason_label = QLabel("―")
        self.status_label = QLabel("―")
        #: Each attached file and its public URL: signed with the approval like the texts.
        self.media_label = QLabel("―")
        for label in (self.reason_label, self.channels_label, self.status_label, self.media_label):
            label.setWordWrap(True)
        self.texts = QTabWidget()
        self.texts.setMinimumHeight(150)
        self.texts.setAccessibleName("媒体ごとの本文")
        self.texts.tabBar().setAccessibleName("媒体ごとの本文")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("項目", self.item_label)
        form.addRow("投稿日時", self.when_label)
        form.addRow("承認の期限", self.deadline_label)
        form.addRow("依頼者", self.requester_label)
        form.addRow("投稿先", self.channels_label)
        form.addRow("緊急の理由", self.reason_label)
        form.addRow("状況", self.status_label)
        form.addRow("添付・画像URL", self.media_label)
        form.addRow("媒体ごとの本文", self.texts)

    def show_view(self, view: RequestView | None) -> None:
        self.texts.clear()
        if view is None:
            for label in self._labels():
                label.setText("―")
            return
        request = view.request
        media = f"・添付 {len(view.item.media)} 件" if view.item.media else ""
        self.item_label.setText(f"#{view.item.id}（{view.item.category or '分類なし'}）{media}")
        self.when_label.setText(format_instant(self._policy.localize(request.window_start)))
        self.deadline_label.setText(
            f"{format_instant(self._policy.localize(request.window_end))} まで"
            "（この時刻までに承認されないと、投稿は送られず保留になります）"
        )
        asked = self._policy.localize(request.requested_at)
        self.requester_label.setText(f"{view.requester_name}（{format_instant(asked)} 依頼）")
        self.channels_label.setText(view.channels_text)
        self.reason_label.setText(request.reason)
        status = view.status_label
        if view.decider_name:
            status += f"（{view.decider_name}）"
        if request.decision_reason:
            status += f"　理由：{request.decision_reason}"
        self.status_label.setText(status)
        self.media_label.setText(media_text(view.item) or "なし")
        titles = {e.channel_key: e.title for e in view.item.entries if e.title}
        for key, text in view.live_entries:
            title = titles.get(key)
            page = QPlainTextEdit(f"【タイトル】{title}\n\n{text}" if title else text)
            page.setReadOnly(True)
            page.setAccessibleName(f"{channel_label(key)}の本文")
            self.texts.addTab(page, channel_label(key))

    def _labels(self) -> tuple[QLabel, ...]:
        return (
            self.item_label,
            self.deadline_label,
            self.when_label,
            self.requester_label,
            self.channels_label,
            self.reason_label,
            self.status_label,
            self.media_label,
        )
