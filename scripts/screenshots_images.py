"""Render the image screens (one-click downscale, previews with alt text and filled template
placeholders, the item dialog editing category, media and alt text) to docs/screenshots/.

Same fixed clock as scripts/screenshots.py (Wednesday 25 November 2026, 10:00 JST):

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_images.py
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw
from PySide6.QtWidgets import QApplication

from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.main_window import TAB_COMPOSER

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import JST, _sample_image, office, shooter, shown_window

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.samples import photo_exif


def _panorama(path: Path) -> Path:
    """A 9,600-pixel-wide photo with GPS and serial numbers in its EXIF (over X's 8,192)."""
    image = Image.linear_gradient("L").resize((9600, 1400)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for x in range(0, 9600, 600):
        draw.rectangle((x, 900, x + 300, 1400), fill=(60, 120, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=photo_exif())
    path.write_bytes(out.getvalue())
    return path


def main() -> int:
    with office("x-city,line,facebook") as (app, _chief, ctx, folder):
        poster = _sample_image(folder / "poster.png", "#8e3b5f", "市民まつり")
        stage = _sample_image(folder / "stage.png", "#3b5f8e", "ステージ")
        item_id = compose.submit(
            ctx,
            compose.ComposeRequest(
                text="市民まつりを開催します。ぜひお越しください。",
                channels=("x-city", "facebook"),
                media=(poster,),
                alt_texts=("市民まつりのポスター",),
                category="イベント",
                at=datetime(2026, 12, 4, 10, 0, tzinfo=JST),
            ),
        ).item_id
        _render(app, ctx, _panorama(folder / "玉川上水の眺め.jpg"), item_id, stage)
    return 0


def _render(app: QApplication, ctx: AppContext, panorama: Path, item_id: int, stage: Path) -> None:
    window = shown_window(app, ctx)
    shot = shooter(app, window)
    composer = window.composer
    assert composer is not None
    window.tabs.setCurrentIndex(TAB_COMPOSER)
    for key in ("x-city", "facebook"):
        composer.channel_boxes[key].setChecked(True)
    composer.text_edit.setPlainText("{日付}（{曜日}）{時刻}ごろの玉川上水です。紅葉が見ごろです。")
    composer.picker.set_chosen(datetime(2026, 12, 1, 10, 0, tzinfo=JST))
    composer.attachments.add_paths([panorama])
    composer.alt_texts.edits[panorama].setText("紅葉した玉川上水の遊歩道")
    composer.run_check()
    shot(window, "40-composer-downscale-offer.png")

    composer.downscale_offer.downscale()
    window.runner.wait()
    app.processEvents()
    composer.run_check()
    shot(window, "41-composer-after-downscale.png")

    dialog = window.open_item(item_id)
    assert dialog is not None
    dialog.start_editing()
    dialog.content.category.setCurrentText("イベント")
    dialog.content.attachments.add_paths([stage])
    dialog.content.alt_texts.edits[stage].setText("ステージで演奏する市民バンド")
    dialog._update_buttons()
    shot(dialog, "42-item-dialog-edit-media.png")
    dialog.close()
    window.close()


if __name__ == "__main__":
    raise SystemExit(main())
