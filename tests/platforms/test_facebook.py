from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kodaira_desktop.platforms.base import ErrorKind, Publisher, PublishError
from kodaira_desktop.platforms.facebook import FacebookPublisher
from tests.fakes import FakeServices
from tests.fakes.facebook import error_body
from tests.platforms.conftest import CLIENT_TIMEOUT, media_file, request

MakePublisher = Callable[..., Publisher]
FEED = r"/feed$"
PHOTOS = r"/photos$"
PHOTOS = r"/photos$"


def publish_error(publisher: Publisher, **kwargs: object) -> PublishError:
    with pytest.raises(PublishError) as caught:
        publisher.publish(request(**kwargs))
    return caught.value


def test_text_post(services: FakeServices, publisher: MakePublisher) -> None:
    result = publisher("facebook").publish(request("こだいら観光まちづくり"))

    [post] = services.facebook.posts
    assert post.message == "こだいら観光まちづくり"
    assert result.remote_id == post.id
    assert result.remote_url == f"https://www.facebook.com/{post.id}"
    [sent] = services.facebook.requests_to(FEED)
    assert sent.path == f"/v26.0/{services.facebook.page_id}/feed"


def test_single_photo_is_published_with_its_text_as_caption(
    services: FakeServices, publisher: MakePublisher, tmp_path: Path
) -> None:
    photo = media_file(tmp_path / "p.jpg", b"\xff\xd8photo", "image/jpeg")
    result = publisher("facebook").publish(request("写真です", media=(photo,)))

    [post] = services.facebook.posts
    [stored] = services.facebook.photos.values()
    assert (stored.data, stored.message, stored.published) == (b"\xff\xd8photo", "写真です", True)
    assert result.remote_id == post.id == stored.post_id
    assert services.facebook.requests_to(FEED) == []
    [sent] = services.facebook.requests_to(PHOTOS)
    assert sent.fields().get("caption") == "写真です"
    assert "message" not in sent.fields()


def test_several_photos_are_uploaded_unpublished_then_attached(
    services: FakeServices, publisher: MakePublisher, tmp_path: Path
) -> None:
    photos = tuple(
        media_file(tmp_path / f"{i}.png", f"png-{i}".encode(), "image/png") for i in range(3)
    )
    result = publisher("facebook").publish(request("3枚", media=photos))

    uploads = services.facebook.requests_to(PHOTOS)
    assert [u.fields()["published"] for u in uploads] == ["false"] * 3
    [post] = services.facebook.posts
    assert [services.facebook.photos[i].data for i in post.photo_ids] == [
        b"png-0",
        b"png-1",
        b"png-2",
    ]
    feed = services.facebook.requests_to(FEED)[0].fields()
    assert json.loads(feed["attached_media[0]"]) == {"media_fbid": post.photo_ids[0]}
    assert result.remote_id == post.id


@pytest.mark.parametrize(
    ("code", "kind", "slug"),
    [
        (4, ErrorKind.TRANSIENT, "rate_limit"),
        (17, ErrorKind.TRANSIENT, "rate_limit"),
        (32, ErrorKind.TRANSIENT, "rate_limit"),
        (613, ErrorKind.TRANSIENT, "rate_limit"),
        (1, ErrorKind.TRANSIENT, "server"),
        (2, ErrorKind.TRANSIENT, "server"),
        (190, ErrorKind.PERMANENT, "auth"),
        (200, ErrorKind.PERMANENT, "auth"),
        (506, ErrorKind.PERMANENT, "duplicate"),
        (100, ErrorKind.PERMANENT, "invalid_request"),
    ],
)
def test_graph_error_codes(
    services: FakeServices,
    publisher: MakePublisher,
    code: int,
    kind: ErrorKind,
    slug: str,
) -> None:
    services.facebook.fail_next(FEED, 500 if code in (1, 2) else 400, error_body(code))
    error = publish_error(publisher("facebook"))
    assert (error.kind, error.code) == (kind, slug)
    assert error.message_ja
    assert services.facebook.posts == []


def test_real_duplicate_message_is_refused(
    services: FakeServices, publisher: MakePublisher
) -> None:
    client = publisher("facebook")
    client.publish(request("同じ文"))
    error = publish_error(client, text="同じ文")
    assert (error.kind, error.code) == (ErrorKind.PERMANENT, "duplicate")
    assert "重複" in error.message_ja


def test_throttling_reports_time_to_regain_access(
    services: FakeServices, publisher: MakePublisher
) -> None:
    services.facebook.rate_limit_next(FEED, seconds=600)
    error = publish_error(publisher("facebook"))
    assert (error.kind, error.retry_after) == (ErrorKind.TRANSIENT, 600.0)


def test_expired_token(publisher: MakePublisher, services: FakeServices) -> None:
    bad = {**services.credentials["facebook"], "page_access_token": "EAAexpired"}
    error = publish_error(publisher("facebook", bad))
    assert (error.kind, error.code) == (ErrorKind.PERMANENT, "auth")
    assert "期限切れ" in error.message_ja


@pytest.mark.parametrize(
    "fault",
    [
        lambda fake: fake.drop_after_receiving(FEED),
        lambda fake: fake.delay_next(FEED, CLIENT_TIMEOUT + 0.2),
        lambda fake: fake.fail_next(FEED, 502, b"Bad Gateway"),
    ],
)
def test_lost_answer_from_the_publishing_call_is_unknown(
    services: FakeServices, publisher: MakePublisher, fault: Callable[..., None]
) -> None:
    fault(services.facebook)
    error = publish_error(publisher("facebook"))
    assert error.kind is ErrorKind.UNKNOWN


def test_posted_once_when_the_answer_is_lost(
    services: FakeServices, publisher: MakePublisher, tmp_path: Path
) -> None:
    services.facebook.drop_after_receiving(PHOTOS)
    photo = media_file(tmp_path / "p.jpg", b"jpg", "image/jpeg")
    assert publish_error(publisher("facebook"), media=(photo,)).kind is ErrorKind.UNKNOWN
    assert len(services.facebook.posts) == 1


@pytest.mark.parametrize(
    "fault",
    [
        lambda fake: fake.fail_next(PHOTOS, 500, b"oops"),
        lambda fake: fake.drop_after_receiving(PHOTOS),
        lambda fake: fake.delay_next(PHOTOS, CLIENT_TIMEOUT + 0.2),
    ],
)
def test_unpublished_upload_failures_are_transient(
    services: FakeServices,
    publisher: MakePublisher,
    tmp_path: Path,
    fault: Callable[..., None],
) -> None:
    fault(services.facebook)
    photos = tuple(media_file(tmp_path / f"{i}.jpg", b"jpg", "image/jpeg") for i in range(2))
    assert publish_error(publisher("facebook"), media=photos).kind is ErrorKind.TRANSIENT
    assert services.facebook.requests_to(FEED) == []
    assert services.facebook.posts == []


def test_connection_refused_is_transient(closed_port_url: str) -> None:
    client = FacebookPublisher("1", "token", closed_port_url, timeout=CLIENT_TIMEOUT)
    try:
        assert publish_error(client).kind is ErrorKind.TRANSIENT
    finally:
        client.close()


def test_video_is_refused_before_sending(
    services: FakeServices, publisher: MakePublisher, tmp_path: Path
) -> None:
    video = media_file(tmp_path / "v.mp4", b"mp4", "video/mp4")
    assert publish_error(publisher("facebook"), media=(video,)).kind is ErrorKind.PERMANENT
    assert services.facebook.requests == []


def test_token_never_travels_in_a_url(services: FakeServices, publisher: MakePublisher) -> None:
    client = publisher("facebook")
    assert client.check_credentials() == f"小平市 (koho.kodairacity) ({services.facebook.page_id})"
    client.publish(request())
    token = services.credentials["facebook"]["page_access_token"]
    for sent in services.facebook.requests:
        assert token not in sent.path
        assert token not in json.dumps(sent.query)
