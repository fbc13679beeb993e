"""Drafts are never lost: autosaved (debounced, atomically) and restored in a new window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.drafts import Draft, DraftStore
from kodaira_desktop.ui.main_window import MainWindow
from tests.ui.conftest import make_context
from tests.ui.helpers import input_text, tick_channels


def open_window(qtbot: QtBot, database_file: Path, clock: FakeClock) -> MainWindow:
    main = MainWindow(make_context(database_file, clock))
    qtbot.addWidget(main)
    main.show()
    return main


def close_window(main: MainWindow) -> None:
    main.close()
    main.ctx.close()


def test_the_draft_comes_back_after_the_window_is_destroyed(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    first = open_window(qtbot, database_file, clock)
    composer = first.composer
    assert composer is not None
    tick_channels(qtbot, composer, "x-city", "facebook")
    with qtbot.waitSignal(composer.draftSaved, timeout=5_000):
        input_text(qtbot, composer.text_edit, "書きかけのお知らせ")
    facebook = composer.channel_tabs["facebook"]
    facebook.inherit.setChecked(False)
    facebook.editor.setPlainText("Facebook 用の本文")
    composer.picker.calendar.setSelectedDate(QDate(2026, 11, 27))
    close_window(first)  # flushes the pending save
    first.deleteLater()

    second = open_window(qtbot, database_file, clock)
    restored = second.composer
    assert restored is not None
    assert restored.text_edit.toPlainText() == "書きかけのお知らせ"
    assert restored.selected_channels() == ["x-city", "facebook"]
    assert restored.channel_tabs["facebook"].override_text() == "Facebook 用の本文"
    assert restored.picker.calendar.selectedDate() == QDate(2026, 11, 27)
    assert "下書きを復元しました" in restored.banner.text()
    close_window(second)


def test_a_closed_window_checks_nothing_more(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    """Typing leaves a check pending; closing keeps the draft and cancels the check, which
    would otherwise run later against a database that may be gone."""
    window = open_window(qtbot, database_file, clock)
    composer = window.composer
    assert composer is not None
    input_text(qtbot, composer.text_edit, "閉じる直前")
    assert composer.check_pending
    window.shut_down()
    assert not composer.check_pending
    assert DraftStore(window.ctx.paths.drafts_dir, window.ctx.login).load() is not None
    window.close()


def test_a_crash_after_the_autosave_loses_nothing(
    qtbot: QtBot, database_file: Path, clock: FakeClock
) -> None:
    first = open_window(qtbot, database_file, clock)
    composer = first.composer
    assert composer is not None
    with qtbot.waitSignal(composer.draftSaved, timeout=5_000):
        input_text(qtbot, composer.text_edit, "停電前に書いた文")
    draft_file = composer.drafts.path
    assert json.loads(draft_file.read_text(encoding="utf-8"))["text"] == "停電前に書いた文"
    # No closeEvent: the process "dies" here; the file on disk is all that is left.
    second = open_window(qtbot, database_file, clock)
    assert second.composer is not None
    assert second.composer.text_edit.toPlainText() == "停電前に書いた文"
    close_window(second)
    first.ctx.close()


def test_new_clears_the_draft(
    qtbot: QtBot, database_file: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "confirm", lambda *_: True)
    main = open_window(qtbot, database_file, clock)
    composer = main.composer
    assert composer is not None
    with qtbot.waitSignal(composer.draftSaved, timeout=5_000):
        input_text(qtbot, composer.text_edit, "消す文")
    assert composer.drafts.path.exists()
    qtbot.mouseClick(composer.clear_button, Qt.MouseButton.LeftButton)
    assert composer.text_edit.toPlainText() == ""
    assert not composer.drafts.path.exists()
    close_window(main)


def test_saving_is_atomic_and_a_corrupt_draft_is_ignored(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts", "tanaka")
    store.save(Draft(text="一つ目", channels=("line",)))
    store.save(Draft(text="二つ目", channels=("line",), date="2026-11-26", time="10:00"))
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == ["tanaka.json"]
    loaded = store.load()
    assert loaded is not None
    assert loaded.text == "二つ目"
    assert loaded.time == "10:00"
    store.path.write_text("{ not json", encoding="utf-8")
    assert store.load() is None


def test_a_login_cannot_escape_the_drafts_folder(tmp_path: Path) -> None:
    store = DraftStore(tmp_path, "../../etc/passwd")
    assert store.path.parent == tmp_path
