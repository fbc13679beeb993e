"""「課長がこのPCで確認する」: the chief confirms an emergency request on the requester's PC.

The chief picks their name, reads exactly what will be sent, types their password, and
approves (the entries become 予約済み) or rejects with a reason (the entries become 保留).
A wrong password leaves the request pending; five in a row lock the chief out for a while.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kodaira_desktop.domain.records import User
from kodaira_desktop.services import approvals, queries
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.chief_prompt import ChiefAction, ChiefActionDialog
from kodaira_desktop.ui.override_views import RequestSummary, RequestView, load_one
from kodaira_desktop.ui.workers import TaskRunner

APPROVE, REJECT = "承認", "却下"
CONFIRM_HERE = "課長がこのPCで確認する"


@dataclass(frozen=True)
class _Loaded:
    view: RequestView
    chiefs: list[User]


class OnTheSpotDialog(ChiefActionDialog):
    #: The request and the chiefs' names have arrived (or failed to).
    loaded = Signal()

    def __init__(
        self, ctx: AppContext, runner: TaskRunner, item_id: int, parent: QWidget | None = None
    ) -> None:
        self.ctx = ctx
        self.item_id = item_id
        self.summary = RequestSummary(ctx.policy)
        super().__init__(
            runner,
            f"{CONFIRM_HERE}（項目 #{item_id}）",
            "秘書広報課長ご本人が、送信される内容を確認のうえ、お名前を選んでパスワードを"
            "入力してください。承認すると、この内容に課長の電子署名が付き、送信できるように"
            "なります。",
            [
                ChiefAction(APPROVE, self._approve),
                ChiefAction(REJECT, self._reject, needs_reason=True),
            ],
            header=self.summary,
            reason_label="却下の理由",
            reason_hint="却下する場合のみ入力（依頼者に表示されます）",
            pick_chief=True,
            cancel_note=f"承認も却下もしていません。項目 #{item_id} は課長の確認待ちのままです。",
            parent=parent,
        )
        runner.start(self._load, self._show_loaded, self._load_failed)

    def _load(self) -> _Loaded:
        return _Loaded(load_one(self.ctx, self.item_id), queries.chiefs(self.ctx))

    def _show_loaded(self, loaded: _Loaded) -> None:
        self.summary.show_view(loaded.view)
        self.set_chiefs(loaded.chiefs)
        self.loaded.emit()

    def _load_failed(self, message: str) -> None:
        self.set_chiefs([])
        self.show_message(message, error=True)
        self.loaded.emit()

    # -- worker bodies ---------------------------------------------------------------------

    def _approve(self, password: str, _reason: str, chief: str | None) -> object:
        return approvals.approve(self.ctx, self.item_id, password, chief=chief)

    def _reject(self, password: str, reason: str, chief: str | None) -> object:
        return approvals.reject(self.ctx, self.item_id, reason, password, chief=chief)
