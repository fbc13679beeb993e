"""One channel's tab in the composer: its text (inherited or overridden), a live counter,
what is wrong with it, and a preview."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kodaira_desktop.domain.records import Channel
from kodaira_desktop.domain.templates import fill, has_placeholders
from kodaira_desktop.domain.text_rules import TextCheck, check_text
from kodaira_desktop.ui.channel_style import ERROR_COLOUR, MUTED_COLOUR, OK_COLOUR
from kodaira_desktop.ui.post_preview import PostPreview


def counter_text(result: TextCheck) -> str:
    body = f"{result.count:,} / {result.limit:,} {result.unit_ja}"
    if result.platform == "youtube":
        title_count = result.title_count or 0
        return f"タイトル {title_count} / {result.title_limit} 文字　説明 {body}"
    return body


def is_over_limit(result: TextCheck) -> bool:
    title_over = (result.title_count or 0) > (result.title_limit or 0)
    return result.count > result.limit or (result.platform == "youtube" and title_over)


class ChannelTab(QWidget):
    changed = Signal()

    def __init__(self, channel: Channel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.channel = channel
        self.platform = channel.platform
        self._common_text = ""
        self._media: list[Path] = []
        self._when: datetime | None = None
        self._alt_texts: dict[Path, str] = {}

        self.inherit = QCheckBox("共通の本文を使う")
        self.inherit.setChecked(True)
        self.inherit.toggled.connect(self._on_inherit_toggled)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName(f"{channel.display_name} の本文")
        self.editor.setReadOnly(True)
        self.editor.setPlaceholderText("共通の本文がここに入ります")
        self.editor.textChanged.connect(self._on_own_text_changed)
        self.counter = QLabel()
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.preview = PostPreview(channel)
        #: LINE only: this month's broadcast count against the plan's limit.
        self.quota = QLabel()
        self.quota.setWordWrap(True)
        self.quota.hide()

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("動画のタイトル（1〜100文字、「<」「>」は使えません）")
        self.title_edit.textChanged.connect(self._on_any_change)
        self.line_urls = QPlainTextEdit()
        self.line_urls.setTabChangesFocus(True)
        self.line_urls.setAccessibleName("画像の公開URL")
        self.line_urls.setPlaceholderText(
            "https://www.city.kodaira.tokyo.jp/…/photo.jpg（1行に1つ、添付画像と同じ順）"
        )
        self.line_urls.setFixedHeight(56)
        self.line_urls.textChanged.connect(self._on_any_change)

        fields = QFormLayout()
        if self.platform == "youtube":
            fields.addRow("タイトル", self.title_edit)
        if self.platform == "line":
            fields.addRow("画像の公開URL", self.line_urls)
            self.notes.setText(
                "LINE は画像ファイルを送れません。画像を載せるには公開URLを入力してください。"
                "URLがなければ LINE には本文だけが送られます。"
            )

        editor_side = QWidget()
        left = QVBoxLayout(editor_side)
        left.setContentsMargins(0, 0, 0, 0)
        # The counter wraps on its own line: at 1024x768 a long YouTube counter beside the
        # checkbox pushed the preview out of sight.
        self.counter.setWordWrap(True)
        inherit_row = QHBoxLayout()
        inherit_row.addWidget(self.inherit)
        inherit_row.addStretch(1)
        left.addLayout(inherit_row)
        left.addWidget(self.counter)
        left.addWidget(self.quota)
        left.addLayout(fields)
        left.addWidget(self.problems)
        left.addWidget(self.editor, 1)
        left.addWidget(self.notes)
        preview_side = QWidget()
        right = QVBoxLayout(preview_side)
        right.setContentsMargins(0, 0, 0, 0)
        preview_title = QLabel("プレビュー（実際の表示とは多少異なります）")
        preview_title.setWordWrap(True)
        right.addWidget(preview_title)
        right.addWidget(self.preview, 1)
        splitter = QSplitter()
        splitter.addWidget(editor_side)
        splitter.addWidget(preview_side)
        splitter.setSizes([360, 300])
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._refresh()

    # -- what the composer reads -------------------------------------------------------------

    @property
    def key(self) -> str:
        return self.channel.key

    def override_text(self) -> str | None:
        return None if self.inherit.isChecked() else self.editor.toPlainText()

    def text(self) -> str:
        return self._common_text if self.inherit.isChecked() else self.editor.toPlainText()

    def title(self) -> str:
        return self.title_edit.text()

    def image_urls(self) -> list[str]:
        return [u.strip() for u in self.line_urls.toPlainText().splitlines() if u.strip()]

    def text_check(self) -> TextCheck:
        title = self.title() if self.platform == "youtube" else None
        return check_text(self.platform, self.text(), title=title)

    # -- what the composer tells it --------------------------------------------------------

    def set_common_text(self, text: str) -> None:
        self._common_text = text
        if self.inherit.isChecked():
            self.editor.blockSignals(True)
            self.editor.setPlainText(text)
            self.editor.blockSignals(False)
        self._refresh()

    def set_override(self, text: str | None) -> None:
        self.inherit.setChecked(text is None)
        if text is not None:
            self.editor.setPlainText(text)

    def set_media(self, media: list[Path]) -> None:
        self._media = list(media)
        self._refresh()

    def set_preview_context(self, when: datetime | None, alt_texts: dict[Path, str]) -> None:
        """The scheduled time (local) that fills 定型文 placeholders in the preview, and each
        image's 代替テキスト, shown under it."""
        if (when, alt_texts) != (self._when, self._alt_texts):
            self._when, self._alt_texts = when, dict(alt_texts)
            self._refresh()

    def set_quota(self, text: str | None) -> None:
        """The LINE quota sentence; None when it could not be fetched."""
        self.quota.setText(
            text
            or "LINEの今月の送信数を確認できませんでした（LINEの認証情報が未登録か、"
            "LINEに接続できません）。予約はできますが、月の上限を超えた分は送られません。"
            "続くときは課長に認証情報の確認を依頼してください。"
        )
        self.quota.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.quota.setToolTip(
            "LINE公式アカウントの今月の配信数です（一斉送信1回＝友だちの人数分）。" if text else ""
        )
        self.quota.show()

    def show_problems(self, problems: tuple[str, ...]) -> None:
        self.problems.setText("\n".join(f"・{p}" for p in problems))
        self.problems.setVisible(bool(problems))

    # -- internals -------------------------------------------------------------------------

    def _on_inherit_toggled(self, inherit: bool) -> None:
        self.editor.setReadOnly(inherit)
        if inherit:
            self.editor.blockSignals(True)
            self.editor.setPlainText(self._common_text)
            self.editor.blockSignals(False)
        self._on_any_change()

    def _on_own_text_changed(self) -> None:
        if not self.inherit.isChecked():
            self._on_any_change()

    def _on_any_change(self) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        result = self.text_check()
        over = is_over_limit(result)
        self.counter.setText(counter_text(result))
        self.counter.setStyleSheet(f"color: {ERROR_COLOUR if over else OK_COLOUR};")
        self.counter.setProperty("overLimit", over)
        text = self.text()
        if self._when is not None and has_placeholders(text):
            text = fill(text, self._when)
        self.preview.set_content(
            text, self._media, self.title() or None, len(self.image_urls()), self._alt_texts
        )
