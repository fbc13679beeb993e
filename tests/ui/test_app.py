"""Start-up: the smoke run exits 0 once the window shows this month with its entries."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QApplication

from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeRequest
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.app import run_gui
from tests.ui.conftest import JST


def test_smoke_run_exits_zero(qapp: QApplication, ctx: AppContext) -> None:
    compose.submit(
        ctx,
        ComposeRequest(
            text="今月のお知らせ", channels=("line",), at=datetime(2026, 11, 26, 9, 0, tzinfo=JST)
        ),
    )
    assert run_gui(ctx, smoke=True) == 0
