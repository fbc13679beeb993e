from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from kodaira_desktop.platforms.base import ErrorKind, Publisher, PublishError
from kodaira_desktop.platforms.line import LinePublisher, LineQuota
from tests.fakes import FakeServices
from tests.platforms.conftest import CLIENT_TIMEOUT, request

MakePublisher = Callable[..., Publisher]
BROADCAST = r"/v2/bot/message/broadcast$"


def publish_error(publisher: Publisher, **kwargs: object) -> PublishError:
    with pytest.raises(PublishError) as caught:
        publisher.publish(request(**kwargs))
    return caught.value


def test_broadcast_text_and_images(services: FakeServices, publisher: MakePublisher) -> None:
    key = str(uuid.uuid4())
    client = publisher("line")
    assert client.idempotent is True
    result = client.publish(
        request("お知らせ", idempotency_key=key, image_urls=("https://example.jp/a.jpg",))
    )

    [broadcast] = services.line.broadcasts
    assert broadcast.messages == [
        {"type": "text", "text": "お知らせ"},
        {
            "type": "image",
            "originalContentUrl": "https://example.jp/a.jpg",
            "previewImageUrl": "https://example.jp/a.jpg",
        },
    ]
    assert result.remote_id == broadcast.request_id
    assert result.remote_url == "https://page.line.me/kodairacity"
    [sent] = services.line.requests_to(BROADCAST)
    assert sent.header("x-line-retry-key") == key
    assert sent.header("authorization") == (
        f"Bearer {services.credentials['line']['channel_access_token']}"
    )


def test_server_error_then_retry_with_the_same_key_broadcasts_once(
    services: FakeServices, publisher: MakePublisher
) -> None:
    services.line.fail_next(BROADCAST, 500, {"message": "Internal server error"})
    client = publisher("line")
    entry = request("再送テスト")
    with pytest.raises(PublishError) as caught:
        client.publish(entry)
    assert caught.value.kind is ErrorKind.TRANSIENT

    client.publish(entry)
    keys = [r.header("x-line-retry-key") for r in services.line.requests_to(BROADCAST)]
    assert keys == [entry.idempotency_key, entry.idempotency_key]
    assert len(services.line.broadcasts) == 1


@pytest.mark.parametrize(
    "fault",
    [
        lambda fake: fake.drop_after_receiving(BROADCAST),
        lambda fake: fake.delay_next(BROADCAST, CLIENT_TIMEOUT + 0.2),
    ],
)
def test_lost_answer_is_transient_and_the_retry_is_accepted_once(
    services: FakeServices, publisher: MakePublisher, fault: Callable[..., None]
) -> None:
    fault(services.line)
    client = publisher("line")
    entry = request("届いたかわからない")
    with pytest.raises(PublishError) as caught:
        client.publish(entry)
    assert caught.value.kind is ErrorKind.TRANSIENT

    result = client.publish(entry)  # LINE answers 409: already accepted
    [broadcast] = services.line.broadcasts
    assert result.remote_id == broadcast.request_id
    assert services.line.requests_to(BROADCAST)[-1].header("x-line-retry-key") == (
        entry.idempotency_key
    )


def test_conflict_means_already_accepted(services: FakeServices, publisher: MakePublisher) -> None:
    services.line.fail_next(
        BROADCAST,
        409,
        {"message": "The retry key is already accepted"},
        {"x-line-accepted-request-id": "original-request-id"},
    )
    result = publisher("line").publish(request())
    assert result.remote_id == "original-request-id"


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (500, ErrorKind.TRANSIENT),
        (502, ErrorKind.TRANSIENT),
        (400, ErrorKind.PERMANENT),
        (401, ErrorKind.PERMANENT),
        (403, ErrorKind.PERMANENT),
    ],
)
def test_status_classification(
    services: FakeServices, publisher: MakePublisher, status: int, kind: ErrorKind
) -> None:
    services.line.fail_next(BROADCAST, status, {"message": "error"})
    error = publish_error(publisher("line"))
    assert (error.kind, error.status) == (kind, status)
    assert error.message_ja


def test_rate_limit_is_transient_with_retry_after(
    services: FakeServices, publisher: MakePublisher
) -> None:
    services.line.rate_limit_next(BROADCAST, seconds=45)
    error = publish_error(publisher("line"))
    assert (error.kind, error.retry_after, error.code) == (ErrorKind.TRANSIENT, 45.0, "rate_limit")


def test_monthly_limit(services: FakeServices, publisher: MakePublisher) -> None:
    services.line.monthly_limit = 100
    error = publish_error(publisher("line"))
    assert (error.kind, error.code) == (ErrorKind.TRANSIENT, "quota")
    assert "今月" in error.message_ja


def test_invalid_message_is_permanent_with_details(
    services: FakeServices, publisher: MakePublisher
) -> None:
    error = publish_error(publisher("line"), text="あ" * 5001)
    assert error.kind is ErrorKind.PERMANENT
    assert "messages[0].text" in error.message_ja


def test_wrong_token_is_permanent(publisher: MakePublisher) -> None:
    error = publish_error(publisher("line", {"channel_access_token": "wrong"}))
    assert (error.kind, error.code) == (ErrorKind.PERMANENT, "auth")
    assert "チャネルアクセストークン" in error.message_ja


def test_checks_before_sending(services: FakeServices, publisher: MakePublisher) -> None:
    client = publisher("line")
    urls = tuple(f"https://example.jp/{i}.jpg" for i in range(5))
    assert publish_error(client, image_urls=urls).kind is ErrorKind.PERMANENT
    assert publish_error(client, idempotency_key="not-a-uuid").kind is ErrorKind.PERMANENT
    assert publish_error(client, text=" ").kind is ErrorKind.PERMANENT
    assert services.line.requests == []


def test_quota(services: FakeServices, publisher: MakePublisher) -> None:
    client = publisher("line")
    assert isinstance(client, LinePublisher)
    assert client.quota() == LineQuota(limit=1000, used=0)
    client.publish(request())
    assert client.quota() == LineQuota(limit=1000, used=services.line.followers)
    services.line.monthly_limit = None
    assert client.quota().limit is None
    assert client.quota().remaining is None


def test_connection_refused_is_transient(closed_port_url: str) -> None:
    client = LinePublisher("token", closed_port_url, timeout=CLIENT_TIMEOUT)
    try:
        assert publish_error(client).kind is ErrorKind.TRANSIENT
    finally:
        client.close()


def test_check_credentials_and_public_url(services: FakeServices, publisher: MakePublisher) -> None:
    assert publisher("line").check_credentials() == "小平市 (@kodairacity)"
    custom = publisher("line", {**services.credentials["line"], "public_url": "https://lin.ee/x"})
    assert custom.publish(request()).remote_url == "https://lin.ee/x"
