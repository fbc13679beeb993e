"""Ticking LINE in the composer shows this month's broadcast count under the LINE tab."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from kodaira_desktop.services.context import AppContext
from kodaira_desktop.ui.composer import Composer
from kodaira_desktop.ui.main_window import MainWindow
from tests.fakes import FakeServices
from tests.ui.helpers import click, tick_channels

QUOTA_PATH = "/v2/bot/message/quota"


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        yield fakes


def composer_of(window: MainWindow) -> Composer:
    assert window.composer is not None
    return window.composer


def quota_requests(services: FakeServices) -> int:
    return sum(1 for r in services.line.requests if r.path.rstrip("/").endswith(QUOTA_PATH))


def test_the_quota_is_shown_when_line_is_ticked(
    qtbot: QtBot, ctx: AppContext, services: FakeServices
) -> None:
    ctx.secrets.set_channel_credentials("line", services.credentials["line"])
    ctx.__dict__["endpoints"] = services.endpoints
    services.line.usage = 250
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    composer = composer_of(window)
    tab = composer.channel_tabs["line"]
    assert tab.quota.isHidden()
    assert quota_requests(services) == 0  # nothing asked before LINE is ticked

    tick_channels(qtbot, composer, "line")
    qtbot.waitUntil(lambda: not tab.quota.isHidden(), timeout=10_000)
    assert tab.quota.text() == "LINE: 今月 250 / 1000 通（残り 750 通）"
    assert quota_requests(services) == 1
    assert composer.channel_tabs["x-city"].quota.isHidden()

    click(qtbot, composer.channel_boxes["line"])  # untick and tick again: asked again
    services.line.usage = 251
    tick_channels(qtbot, composer, "line")
    qtbot.waitUntil(lambda: "251" in tab.quota.text(), timeout=10_000)
    assert quota_requests(services) == 2


def test_without_credentials_it_says_it_cannot_tell(qtbot: QtBot, window: MainWindow) -> None:
    composer = composer_of(window)
    tab = composer.channel_tabs["line"]
    tick_channels(qtbot, composer, "line")
    qtbot.waitUntil(lambda: not tab.quota.isHidden(), timeout=10_000)
    assert tab.quota.text().startswith("LINEの今月の送信数を確認できませんでした")
