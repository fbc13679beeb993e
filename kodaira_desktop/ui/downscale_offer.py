"""The composer's one-click downscale: when an attached image is over a chosen platform's size
or pixel limit, a line under the attachments says so and 「縮小して添付し直す」 replaces it
with a smaller copy that meets every chosen platform (services/downscale.py, on a worker)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kodaira_desktop.services import downscale
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.downscale import Downscalable
from kodaira_desktop.ui.channel_style import ERROR_COLOUR
from kodaira_desktop.ui.workers import TaskRunner


class DownscaleOffer(QWidget):
    #: An attachment was replaced: (old path, new path).
    replaced = Signal(object, object)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.offers: tuple[Downscalable, ...] = ()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.button = QPushButton("縮小して添付し直す")
        self.button.setAccessibleName("大きすぎる画像を縮小して添付し直す")
        self.button.clicked.connect(self.downscale)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.setVisible(False)

    def show_offers(self, offers: tuple[Downscalable, ...]) -> None:
        self.offers = offers
        names = "、".join(f"「{o.path.name}」" for o in offers)
        self.label.setText(
            f"{names}は投稿先の上限を超えています。縮小した写しを作って添付し直せます"
            "（元のファイルはそのままです）。"
        )
        self.setVisible(bool(offers))

    def downscale(self) -> None:
        offers, ctx = self.offers, self.ctx
        if not offers:
            return
        self.button.setEnabled(False)
        self.button.setText("縮小しています…")

        def work() -> list[tuple[Path, Path]]:
            return [(offer.path, downscale.downscale(ctx, offer)) for offer in offers]

        self.runner.start(work, self._done, self._failed)

    def _done(self, pairs: list[tuple[Path, Path]]) -> None:
        self._reset_button()
        for old, new in pairs:
            self.replaced.emit(old, new)

    def _failed(self, message: str) -> None:
        self._reset_button()
        self.failed.emit(message)

    def _reset_button(self) -> None:
        self.button.setEnabled(True)
        self.button.setText("縮小して添付し直す")
