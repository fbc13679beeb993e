"""Editing an item's category, media and alt texts in place (the item dialog's service call):
checked, decoded and cleaned as the composer's files are, stored all or nothing; and an
approved emergency post changed afterwards is held, not sent (the chief signed the old
content). Runs on SQLite and PostgreSQL (the ``office`` fixture)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.services.dispatcher import Dispatcher
from kodaira_desktop.services.media import stored_path
from tests.dispatch.test_send_checks import (
    EVENING,
    S,
    audit_actions,
    chief,
    ctx,
    emergency,
    entries,
    image,
    queue,
    services,
)
from tests.fakes import FakeServices
from tests.samples import SECRET_EXIF_STRINGS, jpeg_bytes, photo_exif

__all__ = ["chief", "ctx", "services"]  # fixtures shared with test_send_checks


def photo(tmp_path: Path, name: str = "home.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(jpeg_bytes(80, 60, exif=photo_exif()))
    return path


def edited(ctx: AppContext, item_id: int, **changes: object) -> compose.ComposeRequest:
    item = compose.get_item(ctx, item_id)
    live = [e for e in item.entries if e.state != S.CANCELLED]
    base = compose.ComposeRequest(
        text=item.text,
        channels=tuple(e.channel_key for e in live),
        category=item.category or "",
        at=min(e.scheduled_at for e in live),
        media=tuple(stored_path(ctx, m.media) for m in item.media),
        alt_texts=tuple(m.alt_text or "" for m in item.media),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_media_alt_texts_and_category_are_edited_in_place(ctx: AppContext, tmp_path: Path) -> None:
    item_id = queue(ctx, "x-city", media=(image(tmp_path),), alt_texts=("ポスター",))
    before = compose.get_item(ctx, item_id)
    request = edited(ctx, item_id, category="イベント")
    request = replace(
        request, media=(*request.media, photo(tmp_path)), alt_texts=("ポスター（改）", "会場")
    )
    after = compose.update_item(ctx, item_id, request, before.version, replace_attachments=True)
    assert after.id == item_id
    assert after.category == "イベント"
    assert [m.alt_text for m in after.media] == ["ポスター（改）", "会場"]
    assert after.media[0].media.sha256 == before.media[0].media.sha256
    added = stored_path(ctx, after.media[1].media).read_bytes()
    assert all(secret not in added for secret in SECRET_EXIF_STRINGS)

    emptied = compose.update_item(
        ctx, item_id, edited(ctx, item_id, media=(), alt_texts=()), after.version,
        replace_attachments=True,
    )  # fmt: skip
    assert emptied.media == ()


def test_a_broken_new_image_changes_nothing(ctx: AppContext, tmp_path: Path) -> None:
    item_id = queue(ctx, "x-city", media=(image(tmp_path),))
    before = compose.get_item(ctx, item_id)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(jpeg_bytes(300, 200)[:1500])
    request = edited(ctx, item_id, category="イベント")
    with pytest.raises(ServiceError, match=re.escape("「cut.jpg」は JPEG として壊れているか")):
        compose.update_item(
            ctx, item_id, replace(request, media=(*request.media, cut)), before.version,
            replace_attachments=True,
        )  # fmt: skip
    assert compose.get_item(ctx, item_id) == before


def test_changing_an_approved_emergency_posts_alt_text_holds_it_for_a_new_approval(
    ctx: AppContext, chief: AppContext, services: FakeServices, tmp_path: Path, clock: FakeClock
) -> None:
    item_id = emergency(ctx, chief, "x-city", media=(photo(tmp_path),), alt_texts=("倒木",))
    item = compose.get_item(ctx, item_id)
    request = edited(ctx, item_id, alt_texts=("倒木（別の説明）",), emergency_reason="台風")
    compose.update_item(ctx, item_id, request, item.version, replace_attachments=True)
    clock.set(EVENING)

    Dispatcher(ctx).run_once()

    assert {e.state for e in entries(ctx, item_id).values()} == {S.HELD}
    assert services.x.tweets == []
    assert "override.refused" in audit_actions(ctx)
