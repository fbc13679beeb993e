"""A rough look of the post on each platform: account header, text, images or a video frame."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kodaira_desktop.domain.records import Channel
from kodaira_desktop.ui.attachments import thumbnail
from kodaira_desktop.ui.channel_style import CHANNEL_COLOURS

PREVIEW_THUMB = 72
#: Characters shown before the preview elides the text (the post itself is never cut).
PREVIEW_CHARS = 600

_CARD_STYLES = {
    "x": "background: #ffffff; border: 1px solid #cfd9de; border-radius: 12px;",
    "facebook": "background: #ffffff; border: 1px solid #dddfe2; border-radius: 8px;",
    "line": "background: #8cabd9; border-radius: 8px;",
    "youtube": "background: #ffffff; border: 1px solid #e5e5e5; border-radius: 8px;",
}


class PostPreview(QFrame):
    def __init__(self, channel: Channel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.channel = channel
        self.setObjectName("postPreview")
        self.setStyleSheet(
            f"#postPreview {{ {_CARD_STYLES.get(channel.platform, '')} }}"
            " QLabel { border: none; background: transparent; }"
        )
        colour = CHANNEL_COLOURS.get(channel.key, "#607d8b")
        avatar = QLabel(channel.display_name[:1])
        avatar.setFixedSize(36, 36)
        avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        avatar.setStyleSheet(
            f"background: {colour}; color: white; border-radius: 18px; font-weight: bold;"
        )
        handle = channel.handle or ""
        if handle and not handle.startswith("@") and channel.platform == "x":
            handle = f"@{handle}"
        name = QLabel(
            f"<b>{html.escape(channel.display_name)}</b> "
            f"<span style='color:#536471'>{html.escape(handle)}</span>"
        )
        header = QHBoxLayout()
        header.addWidget(avatar)
        header.addWidget(name, 1)

        self.video_frame = QLabel("▶")
        self.video_frame.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.video_frame.setFixedHeight(150)
        self.video_frame.setStyleSheet(
            "background: #0f0f0f; color: white; font-size: 28px; border-radius: 6px;"
        )
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if channel.platform == "line":
            self.body.setStyleSheet(
                "background: #ffffff; border-radius: 14px; padding: 8px; color: #111;"
            )
        self.images = QHBoxLayout()
        self.images.setSpacing(4)
        self._shown_images: tuple[list[Path], list[str]] | None = None

        layout = QVBoxLayout(self)
        if channel.platform == "youtube":
            layout.addWidget(self.video_frame)
            layout.addWidget(self.title)
            layout.addLayout(header)
        else:
            layout.addLayout(header)
        layout.addWidget(self.body)
        layout.addLayout(self.images)
        layout.addStretch(1)
        self.video_frame.setVisible(channel.platform == "youtube")
        self.title.setVisible(channel.platform == "youtube")

    def set_content(
        self,
        text: str,
        media: list[Path],
        title: str | None = None,
        line_urls: int = 0,
        alt_texts: dict[Path, str] | None = None,
    ) -> None:
        shown = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"
        self.body.setText(html.escape(shown).replace("\n", "<br>") or "（本文なし）")
        if self.channel.platform == "youtube":
            videos = [p for p in media if p.suffix.lower() in (".mp4", ".mov", ".m4v", ".qt")]
            self.video_frame.setText(f"▶  {videos[0].name}" if videos else "▶  動画が未選択です")
            self.title.setText(title or "（タイトル未入力）")
        images = self._images_for(media, line_urls)
        self._show_images(images, [(alt_texts or {}).get(p, "") for p in images])

    def _images_for(self, media: list[Path], line_urls: int) -> list[Path]:
        images = [
            p for p in media if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".gif", ".webp")
        ]
        if self.channel.platform == "youtube":
            return []
        if self.channel.platform == "line":
            return images[:line_urls]
        return images[:4] if self.channel.platform == "x" else images

    def _show_images(self, images: list[Path], alts: list[str]) -> None:
        """Each image's thumbnail with its 代替テキスト under it (「ALT なし」 when missing)."""
        if (images, alts) == self._shown_images:
            return
        self._shown_images = (images, alts)
        while self.images.count():
            taken = self.images.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.setParent(None)  # gone from the card at once
                widget.deleteLater()
        for path, alt in zip(images, alts, strict=True):
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            label = QLabel()
            label.setPixmap(thumbnail(path, PREVIEW_THUMB))
            label.setAccessibleName(alt or path.name)
            caption = QLabel(f"ALT: {alt}" if alt else "ALT なし")
            caption.setObjectName("altCaption")
            caption.setFixedWidth(PREVIEW_THUMB + 8)
            caption.setWordWrap(True)
            caption.setToolTip(alt)
            caption.setStyleSheet(f"font-size: 10px; color: {'#424242' if alt else '#c62828'};")
            column.addWidget(label)
            column.addWidget(caption)
            self.images.addWidget(cell)
        self.images.addStretch(1)
