"""The GUI saving an edit while a dispatcher claims the same entry: exactly one wins. When
the dispatcher wins, the user is told the item is already being sent and sees it reloaded;
when the edit wins, the dispatcher sends the edited text. Never a mix, never twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatcher import Dispatcher
from kodaira_desktop.ui.main_window import MainWindow
from tests.fakes import FakeServices
from tests.ui.helpers import click
from tests.ui.test_item_edit import THURSDAY_TEN, open_for_editing, queue_item, retype


@pytest.fixture
def services(ctx: AppContext) -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        ctx.secrets.set_channel_credentials("line", fakes.credentials["line"])
        ctx.__dict__["endpoints"] = fakes.endpoints
        yield fakes


def test_an_edit_racing_a_claim_has_one_clean_winner(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, clock: FakeClock, services: FakeServices
) -> None:
    outcomes: dict[str, int] = {"edit won": 0, "dispatcher won": 0}
    for round_ in range(6):
        original, edited = f"元のお知らせ{round_}", f"修正したお知らせ{round_}"
        item_id = queue_item(ctx, original, "line")
        clock.set(THURSDAY_TEN)  # due now
        dialog = open_for_editing(qtbot, window, item_id)
        retype(qtbot, dialog, edited)
        start = threading.Barrier(2)

        def dispatch(barrier: threading.Barrier) -> None:
            barrier.wait()
            Dispatcher(ctx).run_once()

        worker = threading.Thread(target=dispatch, args=(start,))
        worker.start()
        with qtbot.waitSignal(dialog.itemChanged, timeout=20_000):
            start.wait()
            click(qtbot, dialog.save_button)
        worker.join(timeout=20)
        Dispatcher(ctx).run_once()  # whatever the race left due goes out now
        item = compose.get_item(ctx, item_id)
        sent = [b.messages[0]["text"] for b in services.line.broadcasts]
        assert sent.count(original) + sent.count(edited) == 1, sent
        if "保存できませんでした" in dialog.message.text():
            outcomes["dispatcher won"] += 1
            assert "送信中" in dialog.message.text() or "他の人" in dialog.message.text()
            assert original in sent
            assert item.text == original
            assert dialog.text.toPlainText() == original  # reloaded as it is
        else:
            outcomes["edit won"] += 1
            assert dialog.saved_label.text() == "保存しました。"
            assert edited in sent
            assert item.text == edited
        dialog.close()
    print(f"edit/claim race: {outcomes}")
    assert sum(outcomes.values()) == 6
