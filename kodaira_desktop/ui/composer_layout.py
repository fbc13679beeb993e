"""The composer's widgets and their places: the form (text, channels, category, attachments,
per-channel tabs) on the left, the time, repeat, messages and buttons on the right."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.records import Channel, User
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.alt_text_editor import AltTextEditor
from kodaira_desktop.ui.attachments import AttachmentList
from kodaira_desktop.ui.channel_style import (
    ERROR_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    channel_label,
)
from kodaira_desktop.ui.channel_tab import ChannelTab
from kodaira_desktop.ui.confirm_dialog import CONFIRM_HERE, OnTheSpotDialog
from kodaira_desktop.ui.downscale_offer import DownscaleOffer
from kodaira_desktop.ui.drafts import Draft
from kodaira_desktop.ui.repeat_control import RepeatControl
from kodaira_desktop.ui.schedule_picker import SchedulePicker
from kodaira_desktop.ui.template_picker import TemplatePicker, template_draft
from kodaira_desktop.ui.workers import TaskRunner

#: A focus ring that shows on every style (the Fusion and Windows styles draw a faint one).
FOCUS_STYLE = (
    "QPushButton:focus, QCheckBox:focus, QComboBox:focus, QToolButton:focus"
    " { outline: 2px solid #1565c0; border: 2px solid #1565c0; border-radius: 3px; }"
)
CATEGORIES = (
    "お知らせ",
    "防災・緊急",
    "イベント",
    "市長の活動",
    "子育て・教育",
    "健康・福祉",
    "観光・魅力発信",
)

#: How long 「予約しました…」 stays before it fades (it also goes when the next post is typed).
RESULT_FADE_MS = 20_000


class ComposerLayout(QWidget):
    """Builds the composer's widgets; `Composer` adds the behaviour."""

    ctx: AppContext
    user: User
    runner: TaskRunner
    channels: list[Channel]
    _result_timer: QTimer
    # Behaviour the widgets are wired to, defined by ComposerDrafts and Composer.
    clear: Callable[[], None]
    schedule: Callable[[], None]
    discard_draft: Callable[[], bool]
    undo_discard: Callable[[], None]
    apply_draft: Callable[[Draft], None]
    current_draft: Callable[[], Draft]
    open_emergency_dialog: Callable[[], object]
    open_confirm_here: Callable[[], object]
    _on_common_text_changed: Callable[[], None]
    _on_channels_changed: Callable[[], None]
    _on_media_changed: Callable[[], None]
    _on_changed: Callable[[], None]
    _current_post: Callable[[], tuple[str, tuple[str, ...], str]]
    _show_result: Callable[[str], None]
    _show_general_problems: Callable[[list[str]], None]
    _replace_attachment: Callable[[Path, Path], None]

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff8e1; padding: 6px; border-radius: 4px;")
        self.banner.hide()
        self.stop_editing = QPushButton("編集をやめる")
        self.stop_editing.clicked.connect(self.clear)
        self.stop_editing.hide()
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.stop_editing)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setTabChangesFocus(True)  # Tab moves on; a post never needs a tab
        self.text_edit.setAccessibleName("本文（共通）")
        self.text_edit.setPlaceholderText("投稿する本文（すべての媒体に共通）")
        self.text_edit.setMinimumHeight(90)
        self.text_edit.setMaximumHeight(130)
        self.text_edit.textChanged.connect(self._on_common_text_changed)

        self.channel_boxes: dict[str, QCheckBox] = {}
        channel_row = QHBoxLayout()
        channel_row.addWidget(QLabel("投稿先："))
        for channel in self.channels:
            box = QCheckBox(channel_label(channel.key))
            box.setToolTip(channel.display_name)
            box.toggled.connect(self._on_channels_changed)
            self.channel_boxes[channel.key] = box
            channel_row.addWidget(box)
        if not self.channels:
            channel_row.addWidget(
                QLabel("担当に指定された媒体がありません。秘書広報課長に指定を依頼してください。")
            )
        channel_row.addStretch(1)

        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.setAccessibleName("分類")
        self.category.addItems(CATEGORIES)
        self.category.currentTextChanged.connect(self._on_changed)
        category_row = QHBoxLayout()
        category_row.addWidget(QLabel("分類："))
        category_row.addWidget(self.category)
        category_row.addStretch(1)
        self.templates = TemplatePicker(self.ctx, self.user, self.runner, self._current_post)
        self.templates.chosen.connect(
            lambda t: self.apply_draft(template_draft(t, self.current_draft()))
        )
        category_row.addWidget(self.templates)

        self.attachments = AttachmentList()
        self.attachments.changed.connect(self._on_media_changed)
        self.alt_texts = AltTextEditor()
        self.attachments.changed.connect(lambda: self.alt_texts.set_paths(self.attachments.paths()))
        self.alt_texts.changed.connect(self._on_changed)
        self.downscale_offer = DownscaleOffer(self.ctx, self.runner)
        self.downscale_offer.replaced.connect(self._replace_attachment)
        self.downscale_offer.failed.connect(lambda m: self._show_general_problems([m]))

        self.tabs = QTabWidget()
        self.channel_tabs: dict[str, ChannelTab] = {}
        for channel in self.channels:
            tab = ChannelTab(channel)
            tab.changed.connect(self._on_changed)
            self.channel_tabs[channel.key] = tab
            self.tabs.addTab(tab, channel_label(channel.key))
        self.tabs.setMinimumHeight(340)
        no_channel = QLabel(
            "投稿先を選ぶと、媒体ごとの本文・文字数・プレビューがここに表示されます。"
        )
        no_channel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        no_channel.setStyleSheet("color: #757575; border: 1px dashed #bdbdbd;")
        self.tab_stack = QStackedWidget()
        self.tab_stack.addWidget(no_channel)
        self.tab_stack.addWidget(self.tabs)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet(f"color: {OK_COLOUR};")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_result = QPushButton("×")
        self.dismiss_result.setFixedWidth(28)
        self.dismiss_result.setToolTip("このお知らせを閉じる")
        self.dismiss_result.setAccessibleName("お知らせを閉じる")
        self.dismiss_result.clicked.connect(lambda: self._show_result(""))
        self.dismiss_result.hide()
        self._result_timer = QTimer(self, singleShot=True, interval=RESULT_FADE_MS)
        self._result_timer.timeout.connect(lambda: self._show_result(""))
        #: Why 予約 is disabled, beside the button (empty while it is enabled).
        self.schedule_reason = QLabel()
        self.schedule_reason.setWordWrap(True)
        self.schedule_reason.setStyleSheet(f"color: {MUTED_COLOUR};")

        form = QWidget()
        left = QVBoxLayout(form)
        left.addLayout(banner_row)
        left.addWidget(QLabel("本文（共通）"))
        left.addWidget(self.text_edit)
        left.addLayout(channel_row)
        left.addLayout(category_row)
        left.addWidget(QLabel("添付ファイル"))
        left.addWidget(self.attachments)
        left.addWidget(self.downscale_offer)
        left.addWidget(self.alt_texts)
        left.addWidget(QLabel("媒体ごとの本文とプレビュー"))
        left.addWidget(self.tab_stack, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("投稿の入力欄")
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll = scroll
        scroll.setWidget(form)

        self.picker = SchedulePicker(self.ctx.policy, self.ctx.clock)
        self.picker.changed.connect(self._on_changed)
        schedule_group = QGroupBox("予約日時")
        QVBoxLayout(schedule_group).addWidget(self.picker)
        self.repeat = RepeatControl(self.ctx.policy)
        self.picker.changed.connect(lambda: self.repeat.set_start(self.picker.shown_at()))
        self.repeat.set_start(self.picker.shown_at())
        self.schedule_button = QPushButton("予約")
        self.schedule_button.setMinimumHeight(36)
        self.schedule_button.setStyleSheet("font-weight: bold;")
        self.schedule_button.clicked.connect(self.schedule)
        self.emergency_button = QPushButton("緊急投稿…")
        self.emergency_button.setToolTip("投稿時間外に投稿します。課長の承認が必要です。")
        self.emergency_button.clicked.connect(self.open_emergency_dialog)
        self.clear_button = QPushButton("新規（下書きを消去）")
        self.clear_button.clicked.connect(self.discard_draft)
        self.undo_button = QPushButton("消去を元に戻す")
        self.undo_button.clicked.connect(self.undo_discard)
        self.undo_button.hide()
        self._discarded: Draft | None = None
        side = QWidget()
        side.setMaximumWidth(380)
        right = QVBoxLayout(side)
        right.addWidget(schedule_group)
        right.addWidget(self.repeat)
        right.addWidget(self.problems)
        right.addWidget(self.notes)
        right.addWidget(self.schedule_button)
        right.addWidget(self.schedule_reason)
        right.addWidget(self.emergency_button)
        right.addWidget(self.clear_button)
        right.addWidget(self.undo_button)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.dismiss_result, 0, Qt.AlignmentFlag.AlignTop)
        right.addLayout(result_row)
        self.confirm_here_button = QPushButton(f"{CONFIRM_HERE}…")
        self.confirm_here_button.setToolTip("課長がこの場にいるときは、このPCで承認できます。")
        self.confirm_here_button.clicked.connect(self.open_confirm_here)
        self.confirm_here_button.hide()
        self.awaiting_item_id: int | None = None
        self.confirm_dialog: OnTheSpotDialog | None = None
        right.addWidget(self.confirm_here_button)
        right.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setStyleSheet(FOCUS_STYLE)
        self._set_tab_order()
        schedule_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        schedule_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        schedule_shortcut.activated.connect(self.schedule)
        enter_shortcut = QShortcut(QKeySequence("Ctrl+Enter"), self)
        enter_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        enter_shortcut.activated.connect(self.schedule)
        self.schedule_button.setToolTip("予約します（Ctrl+Enter）")
        self._on_channels_changed()

    def _set_tab_order(self) -> None:
        """Text → channels → category → attachments → per-channel tabs → date → time → 予約 →
        the other buttons: the order in which a person fills the form in."""
        order: list[QWidget] = [
            self.stop_editing,
            self.text_edit,
            *self.channel_boxes.values(),
            self.category,
            self.attachments.add_button,
            self.attachments.remove_button,
            self.attachments.view,
            self.tabs,
            self.picker.calendar,
            self.picker.time_box,
            self.schedule_button,
            self.picker.use_suggestion,
            self.emergency_button,
            self.clear_button,
            self.undo_button,
            self.dismiss_result,
            self.confirm_here_button,
        ]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)
