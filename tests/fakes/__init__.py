"""Fakes of the outside services, speaking HTTP on 127.0.0.1 (see :mod:`.server`)."""

from tests.fakes.facebook import FakeFacebook
from tests.fakes.line import FakeLine
from tests.fakes.server import FakeServer, RecordedRequest, Response
from tests.fakes.services import FakeServices
from tests.fakes.x import FakeX
from tests.fakes.youtube import FakeGoogleOAuth, FakeYouTube

__all__ = [
    "FakeFacebook",
    "FakeGoogleOAuth",
    "FakeLine",
    "FakeServer",
    "FakeServices",
    "FakeX",
    "FakeYouTube",
    "RecordedRequest",
    "Response",
]
