"""The item dialog's editor for what 本文・日時 does not cover: the category, the attached
images and videos (add, remove) and each image's 代替テキスト, for an item not yet sending.
The attachments start as the item's stored copies; new files are checked, decoded and cleaned
by the same service functions as the composer's when the item is saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kodaira_desktop.domain.records import Item
from kodaira_desktop.services import media
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.alt_text_editor import AltTextEditor
from kodaira_desktop.ui.attachments import AttachmentList
from kodaira_desktop.ui.composer_layout import CATEGORIES


class ItemContentEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(CATEGORIES)
        self.category.setAccessibleName("分類")
        self.attachments = AttachmentList()
        self.alt_texts = AltTextEditor()
        #: Stored copies -> the public URL LINE fetches them from (kept when still attached).
        self._urls: dict[Path, str] = {}
        self.category.currentTextChanged.connect(self.changed)
        self.attachments.changed.connect(lambda: self.alt_texts.set_paths(self.attachments.paths()))
        self.attachments.changed.connect(self.changed)
        self.alt_texts.changed.connect(self.changed)
        row = QHBoxLayout()
        row.addWidget(QLabel("分類："))
        row.addWidget(self.category, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(QLabel("添付ファイル"))
        layout.addWidget(self.attachments)
        layout.addWidget(self.alt_texts)

    def load(self, ctx: AppContext, item: Item) -> None:
        """The item as stored: its category, attachments (stored copies, labelled with their
        original names) and alt texts."""
        self.category.setCurrentText(item.category or CATEGORIES[0])
        paths = [media.stored_path(ctx, m.media) for m in item.media]
        labels = {path: m.media.original_name for path, m in zip(paths, item.media, strict=True)}
        self._urls = {
            path: m.public_url for path, m in zip(paths, item.media, strict=True) if m.public_url
        }
        self.attachments.labels = labels
        self.alt_texts.labels = labels
        self.attachments.set_paths(paths)
        for path, attached in zip(paths, item.media, strict=True):
            if path in self.alt_texts.edits:
                self.alt_texts.edits[path].setText(attached.alt_text or "")

    def category_text(self) -> str:
        return self.category.currentText().strip() or CATEGORIES[0]

    def media(self) -> tuple[Path, ...]:
        return tuple(self.attachments.paths())

    def image_urls(self) -> tuple[str, ...]:
        """The LINE URLs of the stored images still attached, in order."""
        return tuple(self._urls[p] for p in self.attachments.paths() if p in self._urls)
