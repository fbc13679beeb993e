from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kodaira_desktop.platforms.base import MediaFile, Publisher, PublishRequest
from kodaira_desktop.platforms.registry import make_publisher
from tests.fakes import FakeServices

#: Short enough that a delayed answer times out quickly, long enough for a loaded CI box.
CLIENT_TIMEOUT = 0.5


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with FakeServices() as running:
        yield running


@pytest.fixture
def publisher(services: FakeServices) -> Iterator[Callable[..., Publisher]]:
    """Build a publisher for a platform against the fakes; closed after the test."""
    made: list[Publisher] = []

    def build(platform: str, credentials: dict[str, str] | None = None) -> Publisher:
        creds = credentials if credentials is not None else services.credentials_for(platform)
        made.append(make_publisher(platform, creds, services.endpoints, timeout=CLIENT_TIMEOUT))
        return made[-1]

    yield build
    for item in made:
        item.close()


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting fails before anything is sent."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def media_file(path: Path, data: bytes, mime: str) -> MediaFile:
    path.write_bytes(data)
    return MediaFile(path=path, mime=mime, sha256="0" * 64, size=len(data))


def request(text: str = "小平市からのお知らせです。", **kwargs: object) -> PublishRequest:
    kwargs.setdefault("idempotency_key", str(uuid.uuid4()))
    return PublishRequest(entry_id=1, text=text, **kwargs)  # type: ignore[arg-type]
