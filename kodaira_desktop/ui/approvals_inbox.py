"""「課長の確認」: emergency requests awaiting the chief, with 承認 and 却下.

Chiefs see every pending request; staff see their own requests and what became of them, and
may ask the chief to confirm on their PC. The list refreshes itself on a worker every 15 s
(and after each local action); a request a chief has not seen before raises a notification.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import User
from kodaira_desktop.services import approvals
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR
from kodaira_desktop.ui.chief_prompt import ChiefAction, ChiefActionDialog
from kodaira_desktop.ui.confirm_dialog import CONFIRM_HERE, OnTheSpotDialog
from kodaira_desktop.ui.notifier import Notifier, RecordingNotifier
from kodaira_desktop.ui.override_views import (
    RequestSummary,
    RequestView,
    load_own,
    load_pending,
)
from kodaira_desktop.ui.workers import TaskRunner

REFRESH_MS = 15_000
HEADERS = ("項目", "投稿日時（日本時間）", "依頼者", "投稿先", "緊急の理由", "状況")
COLUMN_REASON, COLUMN_STATUS = 4, 5
TAB_TITLE = "課長の確認"


class ApprovalsInbox(QWidget):
    #: A fresh list is shown.
    refreshed = Signal()
    #: A request was approved or rejected from here (the decided OverrideRequest).
    decided = Signal(object)
    #: How many requests await a chief (chiefs) or are still pending (staff).
    pendingCount = Signal(int)  # noqa: N815 — Qt signal naming

    def __init__(
        self,
        ctx: AppContext,
        user: User,
        runner: TaskRunner,
        notifier: Notifier | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.runner = runner
        self.notifier: Notifier = notifier or RecordingNotifier()
        self.is_chief = user.role == "chief"
        self.views: list[RequestView] = []
        self.dialog: ChiefActionDialog | None = None
        self._seen: set[int] | None = None  # None until the first load
        self._loading = False
        self._stale = False  # a refresh was asked for while one was running
        self._build()
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("緊急投稿の確認依頼の一覧")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            COLUMN_REASON, QHeaderView.ResizeMode.Stretch
        )
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.summary = RequestSummary(self.ctx.policy)
        self.approve_button = QPushButton("承認…")
        self.reject_button = QPushButton("却下…")
        self.here_button = QPushButton(f"{CONFIRM_HERE}…")
        self.approve_button.clicked.connect(lambda: self.open_decision(approve=True))
        self.reject_button.clicked.connect(lambda: self.open_decision(approve=False))
        self.here_button.clicked.connect(self.open_on_the_spot)
        self.approve_button.setStyleSheet("font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.reject_button, self.here_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.approve_button.setVisible(self.is_chief)
        self.reject_button.setVisible(self.is_chief)
        self.here_button.setVisible(not self.is_chief)

        detail = QWidget()
        right = QVBoxLayout(detail)
        right.addWidget(self.summary, 1)
        right.addLayout(buttons)
        right.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        self._on_selection()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload on a worker (once more afterwards if a load is already running)."""
        if self._loading:
            self._stale = True
            return
        self._loading = True
        ctx, load = self.ctx, load_pending if self.is_chief else load_own
        self.runner.start(lambda: load(ctx), self._show, self._load_failed)

    def _load_done(self) -> bool:
        """Mark the load finished; True when another was asked for meanwhile (started now)."""
        self._loading = False
        if self._stale:
            self._stale = False
            self.refresh()
            return True
        return False

    def _load_failed(self, message: str) -> None:
        if self._load_done():
            return
        self.heading.setText(f"読み込めませんでした：{message}")
        self.refreshed.emit()

    def _show(self, views: list[RequestView]) -> None:
        if self._load_done():
            return
        chosen = self.selected_view()
        self.views = views
        self.table.setRowCount(len(views))
        for row, view in enumerate(views):
            for column, text in enumerate(self._cells(view)):
                cell = QTableWidgetItem(text)
                if column == COLUMN_STATUS and view.request.status == "pending":
                    cell.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(
            COLUMN_REASON, QHeaderView.ResizeMode.Stretch
        )
        self._reselect(chosen.request.id if chosen else None)
        pending = [v for v in views if v.request.status == "pending"]
        self.heading.setText(self._heading(len(pending)))
        self._notify_new(pending)
        self.pendingCount.emit(len(pending))
        self.refreshed.emit()

    def _cells(self, view: RequestView) -> tuple[str, ...]:
        start = self.ctx.policy.localize(view.request.window_start)
        return (
            f"#{view.item.id}",
            format_instant(start),
            view.requester_name,
            view.channels_text,
            view.request.reason,
            view.status_label,
        )

    def _heading(self, pending: int) -> str:
        if self.is_chief:
            if not pending:
                return "確認を待っている緊急投稿はありません。"
            return (
                f"確認を待っている緊急投稿が {pending} 件あります。内容を確認してください。"
                "承認の期限を過ぎた依頼は、送られずに保留になります。"
            )
        if not self.views:
            return "あなたが依頼した緊急投稿はありません。"
        return f"あなたが依頼した緊急投稿（課長の確認待ち {pending} 件）"

    def _notify_new(self, pending: list[RequestView]) -> None:
        ids = {v.request.id for v in pending}
        new = [v for v in pending if self._seen is not None and v.request.id not in self._seen]
        self._seen = (self._seen or set()) | ids
        if not (self.is_chief and new):
            return
        first = new[0]
        more = f" ほか {len(new) - 1} 件" if len(new) > 1 else ""
        self.notifier.notify(
            "緊急投稿の確認依頼",
            f"{first.requester_name} さんから項目 #{first.item.id}（{first.channels_text}）"
            f"{more}。理由：{first.request.reason}",
        )

    # -- selection -------------------------------------------------------------------------

    def selected_view(self) -> RequestView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.views):
            return None
        return self.views[rows[0].row()]

    def select_item(self, item_id: int) -> None:
        for row, view in enumerate(self.views):
            if view.item.id == item_id:
                self.table.selectRow(row)
                return

    def _reselect(self, request_id: int | None) -> None:
        """Keep the chosen request selected across a reload (else the first); the summary
        is redrawn either way, since the request's status may have changed."""
        ids = [view.request.id for view in self.views]
        self.table.clearSelection()
        if ids:
            self.table.selectRow(ids.index(request_id) if request_id in ids else 0)
        self._on_selection()

    def _on_selection(self) -> None:
        view = self.selected_view()
        self.summary.show_view(view)
        pending = view is not None and view.request.status == "pending"
        for button in (self.approve_button, self.reject_button, self.here_button):
            button.setEnabled(pending)

    # -- deciding --------------------------------------------------------------------------

    def open_decision(self, *, approve: bool) -> ChiefActionDialog | None:
        view = self.selected_view()
        if view is None:
            return None
        ctx, item_id = self.ctx, view.item.id
        header = RequestSummary(ctx.policy)
        header.show_view(view)
        if approve:
            action = ChiefAction("承認する", lambda pw, _r, _c: approvals.approve(ctx, item_id, pw))
            intro = "この内容で緊急投稿を承認します。パスワードを入力してください。"
        else:
            action = ChiefAction(
                "却下する",
                lambda pw, reason, _c: approvals.reject(ctx, item_id, reason, pw),
                needs_reason=True,
            )
            intro = "緊急投稿を却下します。理由は依頼者に表示されます。"
        title = f"緊急投稿の{'承認' if approve else '却下'}（項目 #{item_id}）"
        dialog = ChiefActionDialog(
            self.runner, title, intro, [action], header=header,
            reason_label="却下の理由", parent=self,
            cancel_note=(
                f"{'承認' if approve else '却下'}していません。"
                f"項目 #{item_id} は課長の確認待ちのままです。"
            ),
        )  # fmt: skip
        return self._open(dialog)

    def open_on_the_spot(self) -> ChiefActionDialog | None:
        view = self.selected_view()
        if view is None:
            return None
        return self._open(OnTheSpotDialog(self.ctx, self.runner, view.item.id, self))

    def _open(self, dialog: ChiefActionDialog) -> ChiefActionDialog:
        dialog.succeeded.connect(self._on_decided)
        dialog.cancelled.connect(self._on_cancelled)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_decided(self, label: str, result: object) -> None:
        self.message.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.message.setText(f"{label.removesuffix('する')}しました。")
        self.decided.emit(result)
        self.refresh()

    def _on_cancelled(self, note: str) -> None:
        self.message.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.message.setText(note)

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.message.setText(text)
