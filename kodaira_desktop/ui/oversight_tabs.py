"""The main window's oversight tabs — 課長の確認, チャンネル and 管理 (chiefs), 監査ログ — built
and wired in one place so the main window only calls `install_oversight`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QPushButton, QStatusBar, QTabWidget, QWidget

from kodaira_desktop.domain.records import Entry, User
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.admin_view import TAB_TITLE as ADMIN_TAB
from kodaira_desktop.ui.admin_view import AdminView
from kodaira_desktop.ui.approvals_inbox import TAB_TITLE, ApprovalsInbox
from kodaira_desktop.ui.audit_view import AuditView
from kodaira_desktop.ui.channels_view import ChannelsView
from kodaira_desktop.ui.notifier import DesktopNotifier
from kodaira_desktop.ui.unknown_dialog import UnknownOutcomeDialog
from kodaira_desktop.ui.workers import TaskRunner


@dataclass
class OversightTabs:
    ctx: AppContext
    runner: TaskRunner
    tabs: QTabWidget
    inbox: ApprovalsInbox | None
    channels: ChannelsView | None
    audit: AuditView
    unknown_dialog: UnknownOutcomeDialog | None = None
    admin: AdminView | None = None
    #: The chief's notice in the status bar: pending requests, one click to the inbox.
    waiting_button: QPushButton | None = None

    def refresh(self) -> None:
        if self.inbox is not None:
            self.inbox.refresh()
        if self.channels is not None and self.tabs.currentWidget() is self.channels:
            self.channels.reload()

    def stop(self) -> None:
        """The window is closing: no more timed refreshes."""
        if self.inbox is not None:
            self.inbox.timer.stop()

    def _on_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.audit:
            self.audit.reload()
        elif widget is self.channels and self.channels is not None:
            self.channels.reload()
        elif widget is self.admin and self.admin is not None:
            self.admin.reload()

    def _show_count(self, count: int) -> None:
        if self.inbox is not None:
            index = self.tabs.indexOf(self.inbox)
            self.tabs.setTabText(index, f"{TAB_TITLE}（{count}）" if count else TAB_TITLE)
        if self.waiting_button is not None:
            self.waiting_button.setText(f"確認待ちの緊急投稿が {count} 件あります — 開く")
            self.waiting_button.setVisible(count > 0)

    def open_inbox(self) -> None:
        if self.inbox is not None:
            self.tabs.setCurrentWidget(self.inbox)

    def open_unknown(
        self, entry: Entry, parent: QWidget, on_resolved: Callable[[], None]
    ) -> UnknownOutcomeDialog:
        dialog = UnknownOutcomeDialog(self.ctx, self.runner, entry, parent)
        dialog.resolved.connect(lambda _entry: on_resolved())
        self.unknown_dialog = dialog
        dialog.open()
        return dialog


def install_oversight(
    ctx: AppContext,
    user: User | None,
    runner: TaskRunner,
    tabs: QTabWidget,
    status: QStatusBar,
    on_change: Callable[[], None],
) -> OversightTabs:
    """Add the tabs the user may see; ``on_change`` runs after a decision changed the queue."""
    inbox = channels = None
    admin: AdminView | None = None
    if user is not None:
        inbox = ApprovalsInbox(ctx, user, runner, DesktopNotifier(status))
        inbox.decided.connect(lambda _decided: on_change())
        tabs.addTab(inbox, TAB_TITLE)
    if user is not None and user.role == "chief":
        channels = ChannelsView(ctx, runner)
        channels.changed.connect(lambda _key: on_change())
        tabs.addTab(channels, "チャンネル")
        admin = AdminView(ctx, runner)
        admin.changed.connect(on_change)
        tabs.addTab(admin, ADMIN_TAB)
    audit = AuditView(ctx, runner)
    tabs.addTab(audit, "監査ログ")
    installed = OversightTabs(ctx, runner, tabs, inbox, channels, audit, admin=admin)
    tabs.currentChanged.connect(installed._on_tab)
    if user is not None and user.role == "chief":
        button = QPushButton()
        button.setStyleSheet("color: #c62828; font-weight: bold;")
        button.setFlat(True)
        button.hide()
        button.clicked.connect(installed.open_inbox)
        status.addPermanentWidget(button)
        installed.waiting_button = button
    if inbox is not None:
        inbox.pendingCount.connect(installed._show_count)
    return installed
