"""The composer offers a one-click downscale for an image over a chosen platform's limit; the
smaller copy replaces the attachment (its alt text kept) and the post can be queued."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from kodaira_desktop.ui.composer import Composer
from kodaira_desktop.ui.main_window import MainWindow
from tests.samples import SECRET_EXIF_STRINGS, photo_exif
from tests.ui.helpers import click, tick_channels, type_text, wait_checked


@pytest.fixture
def composer(window: MainWindow) -> Composer:
    assert window.composer is not None
    return window.composer


def wide_photo(folder: Path) -> Path:
    """9,000 pixels wide: over X's 8,192-pixel side, small in bytes."""
    path = folder / "panorama.jpg"
    out = io.BytesIO()
    Image.linear_gradient("L").resize((9000, 120)).convert("RGB").save(
        out, "JPEG", quality=80, exif=photo_exif()
    )
    path.write_bytes(out.getvalue())
    return path


def test_an_oversized_image_is_downscaled_with_one_click(
    qtbot: QtBot, composer: Composer, window: MainWindow, tmp_path: Path
) -> None:
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "パノラマ写真です")
    original = wide_photo(tmp_path)
    composer.attachments.add_paths([original])
    composer.alt_texts.edits[original].setText("市役所からの眺め")
    wait_checked(qtbot, composer)
    offer = composer.downscale_offer
    assert offer.isVisible()
    assert "「panorama.jpg」は投稿先の上限を超えています" in offer.label.text()
    assert "8,192 ピクセル" in composer.channel_tabs["x-city"].problems.text()
    assert not composer.schedule_button.isEnabled()

    click(qtbot, offer.button)
    qtbot.waitUntil(lambda: composer.attachments.paths() != [original], timeout=10_000)
    [copy] = composer.attachments.paths()
    assert "縮小" in copy.name
    assert copy.parent.name == "downscaled"
    assert original.exists()  # the original is left as it was
    with Image.open(copy) as image:
        assert max(image.size) <= 8192
    assert all(secret not in copy.read_bytes() for secret in SECRET_EXIF_STRINGS)
    assert composer.alt_texts.alt_texts() == ("市役所からの眺め",)
    wait_checked(qtbot, composer)
    assert not offer.isVisible()
    assert composer.schedule_button.isEnabled()

    with qtbot.waitSignal(composer.submitted, timeout=10_000) as done:
        click(qtbot, composer.schedule_button)
    item = window.ctx.store.get_item(done.args[0].submitted.item_id)
    assert item is not None
    [attached] = item.media
    assert attached.media.width is not None
    assert attached.media.width <= 8192
    assert attached.alt_text == "市役所からの眺め"
