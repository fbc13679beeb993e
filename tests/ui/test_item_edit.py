"""編集 in the item dialog changes the item in place (same id), or says someone was first."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.item_dialog import ItemDialog, edit_request
from kodaira_desktop.ui.main_window import MainWindow
from tests.ui.conftest import JST
from tests.ui.helpers import click, input_text

THURSDAY_TEN = datetime(2026, 11, 26, 10, 0, tzinfo=JST)


def queue_item(ctx: AppContext, text: str, *channels: str, **extra: object) -> int:
    request = ComposeRequest(text=text, channels=channels, at=THURSDAY_TEN, **extra)  # type: ignore[arg-type]
    return compose.submit(ctx, request).item_id


def open_for_editing(qtbot: QtBot, window: MainWindow, item_id: int) -> ItemDialog:
    dialog = window.open_item(item_id)
    assert dialog is not None
    assert dialog.edit_button.isEnabled()
    click(qtbot, dialog.edit_button)
    assert dialog.editing
    assert not dialog.text.isReadOnly()
    assert dialog.save_button.isVisible()
    return dialog


def retype(qtbot: QtBot, dialog: ItemDialog, text: str) -> None:
    dialog.text.selectAll()
    input_text(qtbot, dialog.text, text)


def test_editing_keeps_the_item_and_changes_its_text_and_time(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    item_id = queue_item(ctx, "修正前のお知らせ", "x-city", "line")
    before = compose.get_item(ctx, item_id)
    dialog = open_for_editing(qtbot, window, item_id)
    assert dialog.picker.shown_at() == THURSDAY_TEN
    retype(qtbot, dialog, "修正後のお知らせ")
    dialog.picker.set_chosen(datetime(2026, 11, 27, 14, 0, tzinfo=JST))
    with qtbot.waitSignal(dialog.itemChanged, timeout=10_000):
        click(qtbot, dialog.save_button)

    after = compose.get_item(ctx, item_id)
    assert after.text == "修正後のお知らせ"
    assert after.version > before.version
    assert {e.text for e in after.entries} == {"修正後のお知らせ"}
    assert {e.scheduled_at for e in after.entries} == {datetime(2026, 11, 27, 14, 0, tzinfo=JST)}
    assert {e.state for e in after.entries} == {EntryState.SCHEDULED}
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    assert dialog.saved_label.text() == "保存しました。"
    assert not dialog.editing
    assert dialog.text.isReadOnly()
    assert dialog.item.version == after.version
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert {e.item_id for e in window.table.model.entries()} == {item_id}


def test_a_stale_version_shows_the_message_and_reloads(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    item_id = queue_item(ctx, "元のお知らせ", "facebook")
    dialog = open_for_editing(qtbot, window, item_id)
    read = dialog.item
    # Someone else saves first.
    compose.update_item(
        ctx, item_id, edit_request(read, "別の人の修正", THURSDAY_TEN), read.version
    )
    retype(qtbot, dialog, "わたしの修正")
    with qtbot.waitSignal(dialog.itemChanged, timeout=10_000):
        click(qtbot, dialog.save_button)

    assert "保存できませんでした" in dialog.message.text()
    assert "changed by someone else" in dialog.message.text()  # the service's own words
    assert "読み込み直しました" in dialog.message.text()
    assert compose.get_item(ctx, item_id).text == "別の人の修正"
    assert dialog.text.toPlainText() == "別の人の修正"
    assert dialog.item.version == compose.get_item(ctx, item_id).version
    assert not dialog.editing


def test_a_refused_edit_stays_open_for_correction(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    """The composer's check runs on the edit: 保存 stays off and the reason is shown."""
    item_id = queue_item(ctx, "短いお知らせ", "x-city")
    dialog = open_for_editing(qtbot, window, item_id)
    retype(qtbot, dialog, "長" * 300)  # over X's 280
    assert not dialog.save_button.isEnabled()
    assert "上限 280 を 320 超えています" in dialog.message.text()
    assert dialog.editing
    assert dialog.text.toPlainText() == "長" * 300
    retype(qtbot, dialog, "長" * 100)
    assert dialog.save_button.isEnabled()
    assert dialog.message.text() == ""
    assert compose.get_item(ctx, item_id).text == "短いお知らせ"


def test_an_empty_text_cannot_be_saved_and_stop_puts_it_back(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    item_id = queue_item(ctx, "そのままのお知らせ", "line")
    dialog = open_for_editing(qtbot, window, item_id)
    dialog.text.clear()
    assert not dialog.save_button.isEnabled()
    click(qtbot, dialog.stop_button)
    assert dialog.text.toPlainText() == "そのままのお知らせ"
    assert dialog.edit_button.isVisible()


def test_a_per_channel_text_is_pointed_out(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    item_id = queue_item(ctx, "共通の本文", "x-city", "line", overrides={"line": "LINEだけの本文"})
    dialog = open_for_editing(qtbot, window, item_id)
    assert "LINE" in dialog.override_note.text()
    assert dialog.override_note.isVisible()
    retype(qtbot, dialog, "新しい共通の本文")
    with qtbot.waitSignal(dialog.itemChanged, timeout=10_000):
        click(qtbot, dialog.save_button)
    texts = {e.channel_key: e.text for e in compose.get_item(ctx, item_id).entries}
    assert texts == {"x-city": "新しい共通の本文", "line": "LINEだけの本文"}
