"""Composing, editing and rescheduling an item through the use-cases the GUI calls."""

from __future__ import annotations

from datetime import datetime

import pytest

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext, ServiceError
from tests.office import JST


def queue(ctx: AppContext, **changes: object) -> int:
    request = compose.ComposeRequest(text="お知らせ", channels=("x-city", "line"))
    return compose.submit(ctx, compose.ComposeRequest(**{**request.__dict__, **changes})).item_id


def test_edit_before_sending_changes_every_entry(office: AppContext) -> None:
    item_id = queue(office)
    item = compose.get_item(office, item_id)
    request = compose.ComposeRequest(
        text="訂正したお知らせ",
        channels=("x-city", "line"),
        overrides={"line": "LINE向けの文面"},
        at=datetime(2026, 11, 26, 9, 0, tzinfo=JST),
    )
    edited = compose.update_item(office, item_id, request, item.version)
    texts = {e.channel_key: e.text for e in edited.entries}
    assert texts == {"x-city": "訂正したお知らせ", "line": "LINE向けの文面"}
    assert {e.scheduled_at for e in edited.entries} == {datetime(2026, 11, 26, 9, 0, tzinfo=JST)}
    actions = [row.action for row in office.store.iter_audit()]
    assert "item.edited" in actions


def test_an_edit_is_refused_once_sending(office: AppContext) -> None:
    item_id = queue(office)
    item = compose.get_item(office, item_id)
    assert office.store.claim_due(office.clock.now(), "pc-01")
    with pytest.raises(ServiceError, match="can no longer be changed"):
        compose.update_item(
            office,
            item_id,
            compose.ComposeRequest(text="x", channels=("x-city", "line")),
            item.version,
        )


def test_an_edit_with_a_stale_version_is_refused(office: AppContext) -> None:
    item_id = queue(office)
    item = compose.get_item(office, item_id)
    request = compose.ComposeRequest(text="一回目", channels=("x-city", "line"))
    compose.update_item(office, item_id, request, item.version)
    with pytest.raises(ServiceError, match="changed by someone else"):
        compose.update_item(office, item_id, request, item.version)


def test_reschedule_to_a_closed_day_is_refused(office: AppContext) -> None:
    item_id = queue(office)
    with pytest.raises(ServiceError, match="holiday"):
        compose.reschedule_item(office, item_id, datetime(2026, 11, 23, 10, 0, tzinfo=JST))
    moved = compose.reschedule_item(office, item_id, datetime(2026, 11, 27, 16, 0, tzinfo=JST))
    assert {e.scheduled_at.astimezone(JST).day for e in moved.entries} == {27}


def test_a_held_entry_edited_to_an_allowed_time_is_scheduled_again(office: AppContext) -> None:
    item_id = queue(office)
    for entry in office.store.claim_due(office.clock.now(), "pc-01"):
        office.store.transition(entry.id, EntryState.SENDING, entry.version, EntryState.HELD)
    item = compose.get_item(office, item_id)
    assert {e.state for e in item.entries} == {EntryState.HELD}
    compose.update_item(
        office,
        item_id,
        compose.ComposeRequest(
            text="お知らせ",
            channels=("x-city", "line"),
            at=datetime(2026, 11, 26, 9, 0, tzinfo=JST),
        ),
        item.version,
    )
    assert {e.state for e in compose.get_item(office, item_id).entries} == {EntryState.SCHEDULED}


def test_cancel(office: AppContext) -> None:
    item_id = queue(office)
    assert len(compose.cancel_item(office, item_id)) == 2
    assert {e.state for e in compose.get_item(office, item_id).entries} == {EntryState.CANCELLED}
