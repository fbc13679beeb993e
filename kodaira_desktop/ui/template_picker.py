"""The composer's 定型文 row: choose a saved text (shared, or your own), or save the current one.

Choosing puts the template's text, channels and category into the composer; its placeholders
(``{日付}``, ``{曜日}``, ``{時刻}``) are filled from the scheduled time when the post is queued
(each occurrence of a repeat with its own date). A chief saves shared templates; staff save
their own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from kodaira_desktop.domain.records import User
from kodaira_desktop.domain.templates import Template
from kodaira_desktop.services import templates
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.drafts import Draft
from kodaira_desktop.ui.workers import TaskRunner

PLACEHOLDER_HINT = "{日付}・{曜日}・{時刻} は予約日時で置き換わります"
#: (text, channels, category) of what the composer holds now.
CurrentPost = Callable[[], tuple[str, tuple[str, ...], str]]


def ask_template_name(parent: QWidget | None, shared: bool) -> str | None:
    """The name to save under (None when cancelled); replaced in tests."""
    scope = "共有の定型文（全員が使えます）" if shared else "自分用の定型文"
    name, ok = QInputDialog.getText(parent, "定型文として保存", f"{scope}の名前：")
    return name.strip() if ok and name.strip() else None


def template_draft(template: Template, current: Draft) -> Draft:
    """The composer's draft with the template's text, channels and category put in."""
    return dataclasses.replace(
        current,
        text=template.text,
        channels=template.channels or current.channels,
        category=template.category or current.category,
        overrides={},
    )


class TemplatePicker(QWidget):
    #: A template was chosen (the Template).
    chosen = Signal(object)
    #: The list arrived.
    loaded = Signal()
    #: The current post was saved as a template (the Template).
    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        user: User,
        runner: TaskRunner,
        current: CurrentPost,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.runner = runner
        self.current = current
        self.templates: list[Template] = []
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(14)
        self.combo.setAccessibleName("定型文")
        self.combo.setToolTip(PLACEHOLDER_HINT)
        self.combo.activated.connect(self._on_activated)
        self.save_button = QPushButton("定型文として保存…")
        self.save_button.setToolTip(
            "今の本文・投稿先・分類を定型文にします。" + PLACEHOLDER_HINT + "。"
        )
        self.save_button.clicked.connect(self.save_current)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("定型文："))
        layout.addWidget(self.combo)
        layout.addWidget(self.save_button)
        self.reload()

    def reload(self) -> None:
        ctx = self.ctx
        self.runner.start(lambda: templates.list_templates(ctx), self._show, self._failed)

    def _show(self, found: list[Template]) -> None:
        self.templates = found
        self.combo.clear()
        self.combo.addItem("（定型文を選ぶ）", None)
        for index, template in enumerate(found):
            label = template.name if template.shared else f"{template.name}（自分用）"
            self.combo.addItem(label, index)
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.combo.clear()
        self.combo.addItem(f"（読み込めません：{message}）", None)
        self.loaded.emit()

    def _on_activated(self, row: int) -> None:
        index = self.combo.itemData(row)
        if index is not None:
            self.chosen.emit(self.templates[index])
        self.combo.setCurrentIndex(0)

    def choose(self, name: str) -> None:
        """Choose by name, as a click on the list does."""
        for row in range(self.combo.count()):
            index = self.combo.itemData(row)
            if index is not None and self.templates[index].name == name:
                self._on_activated(row)
                return
        raise KeyError(name)

    def save_current(self) -> None:
        shared = self.user.is_chief
        name = ask_template_name(self, shared)
        if name is None:
            return
        text, channels, category = self.current()
        ctx = self.ctx

        def done(template: Template) -> None:
            self.saved.emit(template)
            self.reload()

        self.runner.start(
            lambda: templates.save(ctx, name, text, channels, category, shared=shared),
            done,
            lambda message: prompts.show_error(self, "定型文を保存できません", message),
        )
