"""Dragging an item to another day in the queue calendar reschedules it (same time of day);
a closed day is refused with the reason and nothing changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.calendar_drag import DraggedItem, item_mime, moved_to, read_item_mime
from kodaira_desktop.ui.main_window import MainWindow
from kodaira_desktop.ui.policy_calendar import to_qdate
from kodaira_desktop.ui.queue_calendar import LINE_HEIGHT, QueueCalendarPanel
from tests.ui.conftest import JST

THURSDAY_TEN = datetime(2026, 11, 26, 10, 0, tzinfo=JST)


def queue_item(ctx: AppContext, text: str = "移動するお知らせ") -> int:
    request = ComposeRequest(text=text, channels=("x-city", "line"), at=THURSDAY_TEN)
    return compose.submit(ctx, request).item_id


def calendar_panel(qtbot: QtBot, window: MainWindow) -> QueueCalendarPanel:
    window.refresh_queue()
    qtbot.waitUntil(lambda: not window.runner.busy)
    window.tabs.setCurrentWidget(window.calendar_panel)
    panel = window.calendar_panel
    qtbot.waitUntil(lambda: panel.calendar.cell_rect(date(2026, 11, 27)) is not None)
    return panel


def times(ctx: AppContext, item_id: int) -> set[datetime]:
    return {e.scheduled_at for e in compose.get_item(ctx, item_id).entries}


def drop_on(panel: QueueCalendarPanel, item_id: int, day: date) -> None:
    """A drag entering the painted cell of ``day``, then the drop."""
    rect = panel.calendar.cell_rect(day)
    assert rect is not None
    mime = item_mime(DraggedItem(item_id, THURSDAY_TEN))
    # Qt delivers a drop only to the widget that accepted the drag's enter event.
    enter = QDragEnterEvent(
        rect.center(),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel.calendar.viewport, enter)
    assert enter.isAccepted()
    assert panel.calendar.drop_target == day
    event = QDropEvent(
        QPointF(rect.center()),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel.calendar.viewport, event)


def test_dropping_on_an_open_day_moves_the_item(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    item_id = queue_item(ctx)
    panel = calendar_panel(qtbot, window)
    with qtbot.waitSignal(window.queueRefreshed, timeout=10_000):
        drop_on(panel, item_id, date(2026, 11, 27))
    qtbot.waitUntil(lambda: not window.runner.busy)

    assert times(ctx, item_id) == {datetime(2026, 11, 27, 10, 0, tzinfo=JST)}
    assert compose.get_item(ctx, item_id).id == item_id
    assert "11月27日（金）10:00 に移動しました" in panel.move_message.text()
    assert {e.item_id for e in panel.calendar.entries_on(date(2026, 11, 27))} == {item_id}
    assert panel.calendar.entries_on(date(2026, 11, 26)) == []
    assert panel.calendar.drop_target is None


def test_dropping_on_a_holiday_is_refused(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    item_id = queue_item(ctx)
    version = compose.get_item(ctx, item_id).version
    panel = calendar_panel(qtbot, window)
    labour_thanksgiving = date(2026, 11, 23)
    with qtbot.waitSignal(panel.moveRefused) as refused:
        assert panel.calendar.drop(
            item_mime(DraggedItem(item_id, THURSDAY_TEN)), labour_thanksgiving
        )
    message = refused.args[0]
    assert "祝日" in message
    assert "勤労感謝の日" in message
    assert "次に投稿できるのは" in message
    assert panel.move_message.text() == message
    assert not window.runner.busy  # the service was never asked
    assert times(ctx, item_id) == {THURSDAY_TEN}
    assert compose.get_item(ctx, item_id).version == version


def test_the_service_refusal_is_shown(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    item_id = queue_item(ctx)
    entry = compose.get_item(ctx, item_id).entries[0]
    ctx.store.transition(entry.id, entry.state, entry.version, EntryState.SENDING)
    panel = calendar_panel(qtbot, window)
    with qtbot.waitSignal(panel.moveRefused, timeout=10_000) as refused:
        panel.calendar.drop(item_mime(DraggedItem(item_id, THURSDAY_TEN)), date(2026, 11, 27))
    assert "移動できませんでした" in refused.args[0]
    assert times(ctx, item_id) == {THURSDAY_TEN}


def test_the_day_list_drags_its_item_and_keeps_sent_ones(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    item_id = queue_item(ctx)
    sent = compose.get_item(ctx, item_id).entries[0]
    ctx.store.transition(sent.id, sent.state, sent.version, EntryState.SENDING)
    panel = calendar_panel(qtbot, window)
    panel.calendar.setSelectedDate(to_qdate(date(2026, 11, 26)))
    rows = [panel.day_list.item(n) for n in range(panel.day_list.count())]
    assert len(rows) == 2
    draggable = [r for r in rows if r.flags() & Qt.ItemFlag.ItemIsDragEnabled]
    assert len(draggable) == 1
    dragged = read_item_mime(panel.day_list.mimeData(draggable))
    assert dragged == DraggedItem(item_id, THURSDAY_TEN)


def test_a_drop_point_is_the_day_qt_shows_there(qtbot: QtBot, window: MainWindow) -> None:
    panel = calendar_panel(qtbot, window)
    calendar = panel.calendar
    for day in (date(2026, 11, 1), date(2026, 11, 18), date(2026, 11, 30)):
        rect = calendar.cell_rect(day)
        assert rect is not None
        assert calendar.date_at(rect.center()) == day
        qtbot.mouseClick(calendar.viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        assert calendar.selectedDate() == to_qdate(day)


def test_a_line_in_a_day_is_what_a_drag_from_the_calendar_carries(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    item_id = queue_item(ctx)
    panel = calendar_panel(qtbot, window)
    rect = panel.calendar.cell_rect(date(2026, 11, 26))
    assert rect is not None
    line = panel.calendar.line_at(rect.topLeft() + QPoint(50, LINE_HEIGHT + 2 + LINE_HEIGHT // 2))
    assert line is not None
    assert line.movable
    assert line.dragged() == DraggedItem(item_id, THURSDAY_TEN)
    assert panel.calendar.line_at(rect.topLeft() + QPoint(5, 5)) is None  # the day number


def test_same_time_of_day_in_tokyo() -> None:
    one_am_utc = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
    assert moved_to(one_am_utc, date(2026, 12, 1), JST) == datetime(2026, 12, 1, 10, 0, tzinfo=JST)
