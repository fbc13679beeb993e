from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kodaira_desktop.platforms.base import ErrorKind, Publisher, PublishError
from kodaira_desktop.platforms.oauth1 import OAuth1Credentials
from kodaira_desktop.platforms.x import XPublisher
from tests.fakes import FakeServices
from tests.fakes import credentials as creds
from tests.platforms.conftest import CLIENT_TIMEOUT, media_file, request

MakePublisher = Callable[..., Publisher]
TWEETS = r"^/2/tweets$"


def x_publisher(base_url: str, account: dict[str, str], **kwargs: object) -> XPublisher:
    credentials = OAuth1Credentials(
        account["api_key"],
        account["api_secret"],
        account["access_token"],
        account["access_token_secret"],
    )
    return XPublisher(credentials, base_url, timeout=CLIENT_TIMEOUT, **kwargs)  # type: ignore[arg-type]


def publish_error(publisher: Publisher, **kwargs: object) -> PublishError:
    with pytest.raises(PublishError) as caught:
        publisher.publish(request(**kwargs))
    return caught.value


def test_text_post(services: FakeServices, publisher: MakePublisher) -> None:
    result = publisher("x").publish(request("市報こだいら 最新号を掲載しました"))

    [tweet] = services.x.tweets
    assert tweet.text == "市報こだいら 最新号を掲載しました"
    assert tweet.author_id == "1111111111"
    assert result.remote_id == tweet.id
    assert result.remote_url == f"https://x.com/i/web/status/{tweet.id}"
    [sent] = services.x.requests_to(TWEETS)
    assert sent.json() == {"text": "市報こだいら 最新号を掲載しました"}
    assert (sent.header("authorization") or "").startswith("OAuth ")


def test_each_account_posts_as_itself(services: FakeServices, publisher: MakePublisher) -> None:
    mayor = publisher("x", services.credentials["x-mayor"])
    assert mayor.check_credentials() == "小平市市長室 (@kodaira_mayor)"
    result = mayor.publish(request("市長の一日"))
    assert services.x.tweets[0].author_id == "2222222222"
    assert result.remote_url.startswith("https://x.com/kodaira_mayor/status/")


def test_images_are_uploaded_then_attached(
    services: FakeServices, publisher: MakePublisher, tmp_path: Path
) -> None:
    images = (
        media_file(tmp_path / "a.jpg", b"\xff\xd8jpeg-a" * 100, "image/jpeg"),
        media_file(tmp_path / "b.png", b"\x89PNG-b" * 50, "image/png"),
    )
    progress: list[tuple[int, int]] = []
    publisher("x").publish(request("写真", media=images), progress=lambda *p: progress.append(p))

    [tweet] = services.x.tweets
    assert len(tweet.media_ids) == 2
    assert services.x.uploaded_bytes(tweet.media_ids[0]) == images[0].path.read_bytes()
    assert services.x.uploaded_bytes(tweet.media_ids[1]) == images[1].path.read_bytes()
    init = services.x.requests_to(r"/initialize$")[0].json()
    assert init == {"media_type": "image/jpeg", "total_bytes": 800, "media_category": "tweet_image"}
    assert progress[-1] == (1100, 1100)
    paths = [r.path for r in services.x.requests]
    assert paths.index("/2/tweets") == len(paths) - 1


def test_video_is_chunked_and_processing_is_awaited(services: FakeServices, tmp_path: Path) -> None:
    services.x.processing_polls = 2
    services.x.check_after_secs = 1
    video = media_file(tmp_path / "v.mp4", bytes(range(256)) * 1000, "video/mp4")
    waits: list[float] = []
    client = x_publisher(services.x.url, creds.X_CITY, chunk_size=100_000, sleep=waits.append)
    try:
        client.publish(request("動画", media=(video,)))
    finally:
        client.close()

    [tweet] = services.x.tweets
    assert services.x.uploaded_bytes(tweet.media_ids[0]) == video.path.read_bytes()
    appends = services.x.requests_to(r"/append$")
    assert [a.multipart()["segment_index"].data for a in appends] == [b"0", b"1", b"2"]
    assert services.x.requests_to(r"/initialize$")[0].json()["media_category"] == "tweet_video"
    assert len(services.x.requests_to(r"^/2/media/upload$", method="GET")) == 3
    assert waits == [1.0, 1.0, 1.0]


def test_wrong_secret_is_a_permanent_auth_error(
    services: FakeServices, publisher: MakePublisher
) -> None:
    bad = {**creds.X_CITY, "access_token_secret": "not-the-right-secret"}
    error = publish_error(publisher("x", bad))
    assert error.kind is ErrorKind.PERMANENT
    assert error.status == 401
    assert error.message_ja == "Xの認証に失敗しました。認証情報を確認してください。"
    assert services.x.tweets == []


def test_duplicate_content_is_permanent(services: FakeServices, publisher: MakePublisher) -> None:
    client = publisher("x")
    client.publish(request("同じ内容"))
    error = publish_error(client, text="同じ内容")
    assert error.kind is ErrorKind.PERMANENT
    assert error.code == "duplicate"
    assert "重複投稿" in error.message_ja
    assert len(services.x.tweets) == 1


def test_rate_limit_uses_reset_header(services: FakeServices, publisher: MakePublisher) -> None:
    services.x.rate_limit_next(TWEETS, seconds=120)
    error = publish_error(publisher("x"))
    assert error.kind is ErrorKind.TRANSIENT
    assert error.status == 429
    assert error.retry_after is not None
    assert 110 <= error.retry_after <= 121
    assert services.x.tweets == []


def test_rate_limit_falls_back_to_retry_after(
    services: FakeServices, publisher: MakePublisher
) -> None:
    services.x.fail_next(TWEETS, 429, {"title": "Too Many Requests"}, {"Retry-After": "30"})
    error = publish_error(publisher("x"))
    assert (error.kind, error.retry_after) == (ErrorKind.TRANSIENT, 30.0)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (503, ErrorKind.TRANSIENT),
        (500, ErrorKind.UNKNOWN),
        (502, ErrorKind.UNKNOWN),
        (504, ErrorKind.UNKNOWN),
        (400, ErrorKind.PERMANENT),
        (403, ErrorKind.PERMANENT),
    ],
)
def test_create_status_classification(
    services: FakeServices, publisher: MakePublisher, status: int, kind: ErrorKind
) -> None:
    services.x.fail_next(TWEETS, status, {"title": "Error", "detail": "x", "status": status})
    error = publish_error(publisher("x"))
    assert (error.kind, error.status) == (kind, status)
    assert error.message_ja


def test_answer_lost_after_arrival_is_unknown_and_posted_once(
    services: FakeServices, publisher: MakePublisher
) -> None:
    services.x.drop_after_receiving(TWEETS)
    error = publish_error(publisher("x"))
    assert error.kind is ErrorKind.UNKNOWN
    assert "確認してください" in error.message_ja
    assert len(services.x.tweets) == 1


def test_timeout_after_arrival_is_unknown_and_posted_once(
    services: FakeServices, publisher: MakePublisher
) -> None:
    services.x.delay_next(TWEETS, CLIENT_TIMEOUT + 0.2)
    started = time.monotonic()
    error = publish_error(publisher("x"))
    assert time.monotonic() - started < CLIENT_TIMEOUT + 0.5
    assert error.kind is ErrorKind.UNKNOWN
    assert len(services.x.tweets) == 1


def test_dropped_before_processing_is_still_unknown_to_the_client(
    services: FakeServices, publisher: MakePublisher
) -> None:
    services.x.drop_before_processing(TWEETS)
    assert publish_error(publisher("x")).kind is ErrorKind.UNKNOWN
    assert services.x.tweets == []


def test_connection_refused_is_transient(closed_port_url: str) -> None:
    client = x_publisher(closed_port_url, creds.X_CITY)
    try:
        error = publish_error(client)
    finally:
        client.close()
    assert error.kind is ErrorKind.TRANSIENT
    assert error.code == "network"


@pytest.mark.parametrize(
    "fault",
    [
        lambda fake: fake.fail_next(r"/append$", 500),
        lambda fake: fake.fail_next(r"/initialize$", 503),
        lambda fake: fake.drop_after_receiving(r"/finalize$"),
        lambda fake: fake.delay_next(r"/append$", CLIENT_TIMEOUT + 0.2),
        lambda fake: fake.rate_limit_next(r"/initialize$", seconds=60),
    ],
)
def test_media_upload_failures_are_transient_and_post_nothing(
    services: FakeServices,
    publisher: MakePublisher,
    tmp_path: Path,
    fault: Callable[..., None],
) -> None:
    fault(services.x)
    image = media_file(tmp_path / "a.jpg", b"jpeg" * 10, "image/jpeg")
    error = publish_error(publisher("x"), media=(image,))
    assert error.kind is ErrorKind.TRANSIENT
    assert services.x.requests_to(TWEETS) == []
    assert services.x.tweets == []


def test_missing_media_file_is_permanent_before_any_request(
    services: FakeServices, publisher: MakePublisher, tmp_path: Path
) -> None:
    gone = media_file(tmp_path / "gone.jpg", b"x", "image/jpeg")
    gone.path.unlink()
    error = publish_error(publisher("x"), media=(gone,))
    assert error.kind is ErrorKind.PERMANENT
    assert "gone.jpg" in error.message_ja
    assert services.x.requests == []


def test_too_many_images_is_permanent(publisher: MakePublisher, tmp_path: Path) -> None:
    images = tuple(media_file(tmp_path / f"{i}.jpg", b"x", "image/jpeg") for i in range(5))
    assert publish_error(publisher("x"), media=images).kind is ErrorKind.PERMANENT


def test_check_credentials(publisher: MakePublisher) -> None:
    assert publisher("x").check_credentials() == "小平市 (@kodaira_koho)"
