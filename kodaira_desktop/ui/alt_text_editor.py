"""代替テキスト in the composer: one line per attached image, in the order of the attachments.

Sent to X as media metadata; an image left without one gets a warning from the check, not a
refusal. Texts typed for an image are kept while it stays attached."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kodaira_desktop.services.attachment_rules import ALT_TEXT_MAX
from kodaira_desktop.ui.attachments import is_video


class AltTextEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths: list[Path] = []
        self.edits: dict[Path, QLineEdit] = {}
        #: Names shown instead of a file's own (a stored copy's original name).
        self.labels: dict[Path, str] = {}
        self.title = QLabel("代替テキスト（画像の内容を短く。X に送ります）")
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        self.setVisible(False)  # until an image is attached

    def set_paths(self, paths: list[Path]) -> None:
        """Follow the attachment list; videos take no alt text."""
        images = [p for p in paths if not is_video(p)]
        if images == self.paths:
            return
        kept = {p: e.text() for p, e in self.edits.items()}
        while self.form.rowCount():
            self.form.removeRow(0)
        self.edits = {}
        for path in images:
            edit = QLineEdit(kept.get(path, ""))
            edit.setMaxLength(ALT_TEXT_MAX)
            edit.setPlaceholderText("例: 小平駅北口に集まった市民まつりの来場者")
            edit.textChanged.connect(self.changed)
            self.form.addRow(f"{self.labels.get(path, path.name)}：", edit)
            self.edits[path] = edit
        self.paths = images
        self.setVisible(bool(images))
        self.changed.emit()

    def carry(self, old: Path, new: Path) -> None:
        """Keep the text typed for ``old`` for ``new`` (a downscaled copy that replaces it)."""
        if old in self.edits and new not in self.edits:
            self.edits[new] = self.edits.pop(old)
            self.paths = []  # the next set_paths rebuilds the rows under the new name

    def alt_texts(self) -> tuple[str, ...]:
        """One per image in order; trailing empty ones dropped."""
        texts = [self.edits[p].text().strip() for p in self.paths]
        while texts and not texts[-1]:
            texts.pop()
        return tuple(texts)
