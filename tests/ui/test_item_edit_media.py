"""編集 in the item dialog also changes the category, the attachments (add, remove) and their
alt texts in place, with the composer's checks (a broken image keeps 保存 off)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.media import stored_path
from kodaira_desktop.ui.main_window import MainWindow
from tests.samples import SECRET_EXIF_STRINGS, jpeg_bytes, photo_exif, png_bytes
from tests.ui.helpers import click
from tests.ui.test_item_edit import open_for_editing, queue_item


def test_category_media_and_alt_texts_are_edited_in_place(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    poster = tmp_path / "poster.png"
    poster.write_bytes(png_bytes(40, 30))
    item_id = queue_item(
        ctx, "市民まつり", "x-city", media=(poster,), alt_texts=("ポスター",), category="お知らせ"
    )
    dialog = open_for_editing(qtbot, window, item_id)
    content = dialog.content
    assert content.isVisible()
    assert content.category.currentText() == "お知らせ"
    [stored] = content.attachments.paths()
    assert content.attachments.view.item(0).text() == "poster.png"  # the original name
    assert content.alt_texts.edits[stored].text() == "ポスター"

    content.category.setCurrentText("イベント")
    home = tmp_path / "stage.jpg"
    home.write_bytes(jpeg_bytes(80, 60, exif=photo_exif()))
    content.attachments.add_paths([home])
    content.alt_texts.edits[stored].setText("まつりのポスター")
    content.alt_texts.edits[home].setText("ステージ")
    assert dialog.save_button.isEnabled()
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.editing, timeout=10_000)
    assert dialog.saved_label.text() == "保存しました。"

    item = compose.get_item(ctx, item_id)
    assert item.category == "イベント"
    assert [m.alt_text for m in item.media] == ["まつりのポスター", "ステージ"]
    cleaned = stored_path(ctx, item.media[1].media).read_bytes()
    assert all(secret not in cleaned for secret in SECRET_EXIF_STRINGS)

    click(qtbot, dialog.edit_button)
    dialog.content.attachments.view.item(0).setSelected(True)
    click(qtbot, dialog.content.attachments.remove_button)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.editing, timeout=10_000)
    assert [m.alt_text for m in compose.get_item(ctx, item_id).media] == ["ステージ"]


def test_a_broken_image_keeps_save_off_with_the_reason(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    item_id = queue_item(ctx, "お知らせ", "x-city")
    dialog = open_for_editing(qtbot, window, item_id)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(jpeg_bytes(300, 200)[:1500])
    dialog.content.attachments.add_paths([cut])
    assert not dialog.save_button.isEnabled()
    assert "「cut.jpg」は JPEG として壊れているか" in dialog.message.text()
    assert compose.get_item(ctx, item_id).media == ()
