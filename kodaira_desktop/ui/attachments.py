"""Attachments: images (JPEG, PNG, GIF, WebP) with thumbnails, and a video for YouTube."""

from __future__ import annotations

import stat
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.services import media
from kodaira_desktop.services.context import ServiceError

THUMB_SIZE = 64
#: Larger than any image a platform takes (X: 15 MB GIF): not decoded for a thumbnail.
MAX_THUMBNAIL_SOURCE = 32 * 1024 * 1024
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov", ".qt")
FILE_FILTER = "画像・動画 (*.jpg *.jpeg *.png *.gif *.webp *.mp4 *.m4v *.mov);;すべて (*)"


def is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES


def thumbnail(path: Path, size: int) -> QPixmap:
    """A scaled image from the same Pillow decode that checks the file (cached per file), or a
    drawn placeholder for videos and unreadable files."""
    if not is_video(path) and _is_readable_image_file(path):
        try:
            info = media.inspect(path)
        except ServiceError:
            info = None
        pixmap = QPixmap()
        if info is not None and info.thumbnail and pixmap.loadFromData(info.thumbnail, "PNG"):
            return pixmap.scaled(
                size,
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
    return _placeholder(size, "動画" if is_video(path) else "？")


def _is_readable_image_file(path: Path) -> bool:
    """A regular file of an image's size: a pipe or a device would block the window."""
    try:
        info = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size <= MAX_THUMBNAIL_SOURCE


def _placeholder(size: int, text: str) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("#263238"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("white"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, f"▶\n{text}")
    painter.end()
    return pixmap


class AttachmentList(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Names shown instead of a file's own (a stored copy's original name).
        self.labels: dict[Path, str] = {}
        self.view = QListWidget()
        self.view.setViewMode(QListWidget.ViewMode.IconMode)
        self.view.setAccessibleName("添付ファイル")
        self.view.setIconSize(QSize(THUMB_SIZE, THUMB_SIZE))
        self.view.setGridSize(QSize(THUMB_SIZE + 24, THUMB_SIZE + 30))
        self.view.setFixedHeight(THUMB_SIZE + 44)
        self.view.setMovement(QListWidget.Movement.Static)
        self.view.setFlow(QListWidget.Flow.LeftToRight)
        self.view.setWrapping(False)
        self.view.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.add_button = QPushButton("画像・動画を追加…")
        self.remove_button = QPushButton("選んだものを外す")
        self.add_button.clicked.connect(self._choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        hint = QLabel(
            "画像：JPEG・PNG・GIF・WebP（X 4枚・Facebook 10枚まで）。"
            "動画：YouTube に 1 本（必須）。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #616161;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        layout.addWidget(hint)

    def paths(self) -> list[Path]:
        return [
            Path(str(self.view.item(row).data(Qt.ItemDataRole.UserRole)))
            for row in range(self.view.count())
        ]

    def set_paths(self, paths: list[Path]) -> None:
        self.view.clear()
        self._append(paths)
        self.changed.emit()

    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        self._append([p for p in paths if p not in known])
        self.changed.emit()

    def replace_path(self, old: Path, new: Path) -> None:
        """Put ``new`` where ``old`` was (a downscaled copy), keeping the order."""
        self.set_paths([new if p == old else p for p in self.paths()])

    def remove_selected(self) -> None:
        for item in self.view.selectedItems():
            self.view.takeItem(self.view.row(item))
        self.changed.emit()

    def _append(self, paths: list[Path]) -> None:
        for path in paths:
            name = self.labels.get(path, path.name)
            item = QListWidgetItem(QIcon(thumbnail(path, THUMB_SIZE)), _short(name))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.view.addItem(item)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "添付する画像・動画", "", FILE_FILTER)
        self.add_paths([Path(n) for n in names])


def _short(name: str, limit: int = 14) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
