"""Issue 15, findings 2 and 4: whoever can write the database cannot make the dispatcher read a
file outside the media folder, send a changed file, send the Google token elsewhere, or send
anything the chief did not sign. Each attack is SQL written straight into the database (the
``office`` fixture runs every test on SQLite and on PostgreSQL)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.security.approval_payload import approval_payload_v1
from kodaira_desktop.services import accounts, approvals, compose
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatcher import Dispatcher
from kodaira_desktop.services.media import stored_path
from kodaira_desktop.services.send_checks import SendCheckError, check_resume_url
from tests.fakes import FakeServer, FakeServices
from tests.office import CHIEF, CHIEF_PASSWORD, JST
from tests.samples import mp4_bytes, png_bytes

S = EntryState
EVENING = datetime(2026, 11, 25, 18, 0, tzinfo=JST)
SECRET = b"\x89PNG secret ledger: " + b"do-not-leak " * 50


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with FakeServices() as fakes:
        yield fakes


@pytest.fixture
def ctx(office: AppContext, services: FakeServices) -> AppContext:
    for key, fields in services.credentials.items():
        office.secrets.set_channel_credentials(key, fields)
    office.__dict__["endpoints"] = services.endpoints
    return office


@pytest.fixture
def chief(ctx: AppContext, clock: FakeClock) -> Iterator[AppContext]:
    chief = AppContext.create(database=ctx.database_url, login=CHIEF, clock=clock)
    yield chief
    chief.close()


def sql(ctx: AppContext, statement: str, **params: object) -> None:
    """What an attacker with write access to the shared database does."""
    url = ctx.database_url.replace("postgresql://", "postgresql+psycopg://")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(statement), params)
    engine.dispose()


def image(tmp_path: Path, name: str = "poster.png", width: int = 3) -> Path:
    path = tmp_path / name
    path.write_bytes(png_bytes(width=width))
    return path


def video(tmp_path: Path) -> Path:
    path = tmp_path / "kodaira.mp4"
    path.write_bytes(mp4_bytes(payload_size=5000))
    return path


def queue(ctx: AppContext, *channels: str, **changes: object) -> int:
    request = compose.ComposeRequest(text="お知らせ", channels=channels, **changes)  # type: ignore[arg-type]
    return compose.submit(ctx, request).item_id


def entries(ctx: AppContext, item_id: int) -> dict[str, Entry]:
    return {e.channel_key: e for e in ctx.store.list_entries(item_id=item_id)}


def audit_actions(ctx: AppContext) -> list[str]:
    return [row.action for row in ctx.store.iter_audit()]


def every_body(services: FakeServices) -> bytes:
    return b"".join(r.body for server in services.servers for r in server.requests)


def emergency(ctx: AppContext, chief: AppContext, *channels: str, **changes: object) -> int:
    """Staff ask to post this evening; the chief approves (signing format 2)."""
    item_id = queue(ctx, *channels, at=EVENING, emergency_reason="台風による避難情報", **changes)
    approvals.approve(chief, item_id, CHIEF_PASSWORD)
    return item_id


# -- finding 2: paths from the database ----------------------------------------------------


@pytest.mark.parametrize("attack", ["absolute", "dot-dot", "other-name"])
def test_a_media_row_naming_another_file_sends_nothing(
    ctx: AppContext, services: FakeServices, tmp_path: Path, attack: str
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(SECRET)
    item_id = queue(ctx, "x-city", "facebook", media=(image(tmp_path),))
    names = {
        "absolute": str(secret),
        "dot-dot": "../../secret.png",  # the media folder is tmp_path/data/media
        "other-name": "secret.png",
    }
    assert (ctx.paths.media_dir / names["dot-dot"]).resolve() == secret.resolve()
    sql(ctx, "UPDATE media SET stored_name = :name", name=names[attack])

    report = Dispatcher(ctx).run_once()

    assert sorted(report.failed) == sorted(e.id for e in entries(ctx, item_id).values())
    for entry in entries(ctx, item_id).values():
        assert entry.state is S.FAILED
        assert "保存名" in (entry.last_error or "")
    assert services.x.requests == []
    assert services.facebook.requests == []
    assert b"do-not-leak" not in every_body(services)
    assert audit_actions(ctx).count("entry.refused") == 2


def test_a_symlink_in_the_media_folder_is_never_followed(
    ctx: AppContext, services: FakeServices, tmp_path: Path
) -> None:
    poster = image(tmp_path)
    item_id = queue(ctx, "x-city", media=(poster,))
    (attached,) = ctx.store.media_for_item(item_id)
    stored = stored_path(ctx, attached.media)
    outside = tmp_path / "outside.png"
    outside.write_bytes(poster.read_bytes())  # same bytes, so only the link gives it away
    stored.unlink()
    stored.symlink_to(outside)

    Dispatcher(ctx).run_once()

    (entry,) = entries(ctx, item_id).values()
    assert entry.state is S.FAILED
    assert "シンボリックリンク" in (entry.last_error or "")
    assert services.x.requests == []
    assert "entry.refused" in audit_actions(ctx)


def test_a_media_file_overwritten_after_queueing_is_not_sent(
    ctx: AppContext, services: FakeServices, tmp_path: Path
) -> None:
    item_id = queue(ctx, "x-city", media=(image(tmp_path),))
    (attached,) = ctx.store.media_for_item(item_id)
    stored_path(ctx, attached.media).write_bytes(png_bytes(width=4))

    Dispatcher(ctx).run_once()

    (entry,) = entries(ctx, item_id).values()
    assert entry.state is S.FAILED
    assert "中身" in (entry.last_error or "")
    assert services.x.requests == []
    assert services.x.tweets == []
    assert "entry.refused" in audit_actions(ctx)


def test_a_resume_url_on_another_server_never_gets_the_video_or_the_token(
    ctx: AppContext, services: FakeServices, tmp_path: Path
) -> None:
    item_id = queue(ctx, "youtube", title="小平市の紹介", media=(video(tmp_path),))
    with FakeServer() as elsewhere:
        sql(ctx, "UPDATE entries SET resume_state = :url", url=f"{elsewhere.url}/upload?id=1")
        Dispatcher(ctx).run_once()
        assert elsewhere.requests == []
    (entry,) = entries(ctx, item_id).values()
    assert entry.state is S.FAILED
    assert "アップロード先" in (entry.last_error or "")
    assert services.youtube.requests == []
    assert services.google.requests == []
    assert "entry.refused" in audit_actions(ctx)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.googleapis.com/upload/youtube/v3/videos?upload_id=1",
        "https://www.googleapis.com.evil.example/upload",
        "https://evil.example/upload#@www.googleapis.com",
        "https://user@www.googleapis.com/upload",
        "https://www.googleapis.com:8443/upload",
        "https://www.googleapis.com\\@evil.example/",
        "file:///etc/passwd",
        "/upload/youtube/v3/videos?upload_id=1",
    ],
)
def test_resume_urls_off_the_configured_https_origin_are_refused(url: str) -> None:
    with pytest.raises(SendCheckError):
        check_resume_url(url, "https://www.googleapis.com")


def test_resume_urls_on_the_configured_origin_are_used() -> None:
    check_resume_url(
        "https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable&upload_id=a",
        "https://www.googleapis.com",
    )
    check_resume_url("http://127.0.0.1:4567/upload?id=1", "http://127.0.0.1:4567")
    with pytest.raises(SendCheckError):  # plain HTTP only for a test base on this machine
        check_resume_url("http://proxy.city.local/upload", "http://proxy.city.local")


# -- finding 4: sign exactly what is sent --------------------------------------------------


def test_a_different_title_on_the_youtube_entry_voids_the_approval(
    ctx: AppContext, chief: AppContext, services: FakeServices, tmp_path: Path, clock: FakeClock
) -> None:
    item_id = emergency(
        ctx, chief, "x-city", "youtube", title="避難所のご案内", media=(video(tmp_path),)
    )
    # The first title found (now on the X entry) still matches; the YouTube entry's does not.
    sql(ctx, "UPDATE entries SET title = '避難所のご案内' WHERE channel_key = 'x-city'")
    sql(ctx, "UPDATE entries SET title = '差し替えた題名' WHERE channel_key = 'youtube'")
    clock.set(EVENING)

    report = Dispatcher(ctx).run_once()

    assert {e.state for e in entries(ctx, item_id).values()} == {S.HELD}
    assert len(report.held) == 2
    assert services.youtube.videos == {}
    assert services.x.tweets == []
    assert "override.refused" in audit_actions(ctx)


def test_a_line_image_url_swapped_to_another_host_voids_the_approval(
    ctx: AppContext, chief: AppContext, services: FakeServices, tmp_path: Path, clock: FakeClock
) -> None:
    item_id = emergency(
        ctx,
        chief,
        "line",
        media=(image(tmp_path),),
        image_urls=("https://www.city.kodaira.tokyo.jp/img/hinanjo.png",),
    )
    sql(ctx, "UPDATE item_media SET public_url = 'https://evil.example/hinanjo.png'")
    clock.set(EVENING)

    Dispatcher(ctx).run_once()

    (entry,) = entries(ctx, item_id).values()
    assert entry.state is S.HELD
    assert "変更" in (entry.last_error or "")
    assert services.line.broadcasts == []
    assert "override.refused" in audit_actions(ctx)


def test_the_approved_line_image_url_is_sent(
    ctx: AppContext, chief: AppContext, services: FakeServices, tmp_path: Path, clock: FakeClock
) -> None:
    url = "https://www.city.kodaira.tokyo.jp/img/hinanjo.png"
    item_id = emergency(ctx, chief, "line", media=(image(tmp_path),), image_urls=(url,))
    clock.set(EVENING)
    Dispatcher(ctx).run_once()
    (entry,) = entries(ctx, item_id).values()
    assert entry.state is S.PUBLISHED
    (broadcast,) = services.line.broadcasts
    assert url in str(broadcast.messages)


def test_a_media_file_overwritten_after_approval_is_not_sent(
    ctx: AppContext, chief: AppContext, services: FakeServices, tmp_path: Path, clock: FakeClock
) -> None:
    item_id = emergency(ctx, chief, "x-city", media=(image(tmp_path),))
    (attached,) = ctx.store.media_for_item(item_id)
    stored_path(ctx, attached.media).write_bytes(png_bytes(width=5))
    clock.set(EVENING)

    Dispatcher(ctx).run_once()

    (entry,) = entries(ctx, item_id).values()
    assert entry.state is S.FAILED
    assert "中身" in (entry.last_error or "")
    assert services.x.requests == []
    assert services.x.tweets == []
    assert "entry.refused" in audit_actions(ctx)


def test_an_approval_signed_in_the_old_format_is_held_for_a_new_approval(
    ctx: AppContext, chief: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    item_id = queue(ctx, "line", at=EVENING, emergency_reason="台風による避難情報")
    item = ctx.store.get_item(item_id)
    assert item is not None
    (request,) = ctx.store.list_overrides(item_id=item_id)
    key = accounts.confirm_chief(chief, CHIEF, CHIEF_PASSWORD)
    approved_at = clock.now()
    old = approval_payload_v1(
        item_id=item_id,
        texts={"line": "お知らせ"},
        media_sha256=[],
        youtube_title=None,
        channels=["line"],
        window_start=request.window_start,
        window_end=request.window_end,
        reason=request.reason,
        approver_login=CHIEF,
        approved_at=approved_at,
    )
    assert chief.store.decide_override(
        request.id,
        "approved",
        decided_by=CHIEF,
        decided_at=approved_at,
        signature=key.sign(old),
        payload_hash=hashlib.sha256(old).hexdigest(),
    )
    sql(ctx, "UPDATE entries SET state = 'scheduled', version = version + 1")
    clock.set(EVENING)

    Dispatcher(ctx).run_once()

    (entry,) = entries(ctx, item_id).values()
    assert entry.state is S.HELD
    assert "旧形式" in (entry.last_error or "")
    assert "承認し直して" in (entry.last_error or "")
    assert services.line.broadcasts == []


def test_an_entry_changed_between_the_claim_and_the_checks_is_not_sent(
    ctx: AppContext, clock: FakeClock
) -> None:
    from kodaira_desktop.services.send_checks import check_entry

    item_id = queue(ctx, "line")
    (claimed,) = ctx.store.claim_due(clock.now(), "pc-01")
    sql(ctx, "UPDATE items SET text = '元に戻した本文' WHERE id = :id", id=item_id)
    item = ctx.store.get_item(item_id)
    assert item is not None
    with pytest.raises(SendCheckError, match="直前に内容が変更"):
        check_entry(ctx, claimed, item, "line")
