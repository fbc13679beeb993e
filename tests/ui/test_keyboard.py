"""Keyboard only: Tab moves focus through every control of the composer in a sensible order,
plain-text fields take Tab as a focus change, Ctrl+Enter schedules, Enter opens items."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kodaira_desktop.ui.composer import Composer
from kodaira_desktop.ui.main_window import MainWindow
from tests.ui.helpers import tick_channels, type_text


def focus_chain(qtbot: QtBot, start: QWidget, presses: int, *, back: bool = False) -> list[QWidget]:
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    seen: list[QWidget] = []
    key = Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab
    for _ in range(presses):
        current = QApplication.focusWidget()
        assert current is not None
        qtbot.keyClick(current, key)
        after = QApplication.focusWidget()
        assert after is not None
        seen.append(after)
    return seen


def reaches(chain: list[QWidget], target: QWidget) -> bool:
    return any(w is target or target.isAncestorOf(w) for w in chain)


def composer_of(window: MainWindow) -> Composer:
    assert window.composer is not None
    return window.composer


def test_tab_in_the_text_moves_focus_instead_of_typing_a_tab(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city", "line")
    type_text(qtbot, composer, "abc")
    composer.text_edit.setFocus()
    qtbot.keyClick(composer.text_edit, Qt.Key.Key_Tab)
    assert composer.text_edit.toPlainText() == "abc"
    assert QApplication.focusWidget() is not composer.text_edit
    line_tab = composer.channel_tabs["line"]
    assert line_tab.line_urls.tabChangesFocus()
    assert line_tab.editor.tabChangesFocus()


def test_tab_from_the_text_reaches_date_time_and_schedule_in_order(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "お知らせ")
    assert composer.schedule_button.isEnabled()
    chain = focus_chain(qtbot, composer.text_edit, 40)
    picker = composer.picker

    def index(target: QWidget) -> int:
        return next(i for i, w in enumerate(chain) if w is target or target.isAncestorOf(w))

    assert reaches(chain, picker.calendar)
    assert reaches(chain, picker.time_box)
    assert reaches(chain, composer.schedule_button)
    assert index(picker.calendar) < index(picker.time_box) < index(composer.schedule_button)
    # from 時刻, the next stop is 予約 (the enabled button is never skipped)
    assert chain[index(picker.time_box) + 1] is composer.schedule_button


def test_shift_tab_from_the_main_tab_bar_reaches_the_schedule_controls(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "お知らせ")
    bar = window.tabs.tabBar()
    forward = focus_chain(qtbot, bar, 40)
    assert reaches(forward, composer.picker.time_box)
    assert reaches(forward, composer.schedule_button)
    backward = focus_chain(qtbot, bar, 40, back=True)
    assert reaches(backward, composer.schedule_button)
    assert reaches(backward, composer.picker.time_box)


def test_ctrl_enter_schedules(qtbot: QtBot, window: MainWindow) -> None:
    composer = composer_of(window)
    tick_channels(qtbot, composer, "x-city")
    type_text(qtbot, composer, "お知らせ")
    with qtbot.waitSignal(composer.submitted, timeout=10_000):
        qtbot.keyClick(composer.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "予約しました" in composer.result_label.text()


def test_focus_is_visible_on_buttons(window: MainWindow) -> None:
    composer = composer_of(window)
    assert ":focus" in composer.styleSheet()
