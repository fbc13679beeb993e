"""All four service fakes plus Google's token endpoint, for end-to-end tests.

with FakeServices() as services:
    env = {**os.environ, **services.env()}          # for a CLI in a subprocess
    publisher = make_publisher("line", services.credentials["line"], services.endpoints)
    services.line.fail_next(r"/broadcast$", 500)
"""

from __future__ import annotations

from kodaira_desktop.platforms.endpoints import ServiceEndpoints
from tests.fakes import credentials as creds
from tests.fakes.facebook import FakeFacebook
from tests.fakes.line import FakeLine
from tests.fakes.server import FakeServer
from tests.fakes.x import FakeX
from tests.fakes.youtube import FakeGoogleOAuth, FakeYouTube


class FakeServices:
    def __init__(self) -> None:
        self.x = FakeX()
        self.line = FakeLine()
        self.facebook = FakeFacebook()
        self.google = FakeGoogleOAuth()
        self.youtube = FakeYouTube(self.google)
        #: Canned credentials keyed by seeded channel key (x-city, x-mayor, line, ...).
        self.credentials: dict[str, dict[str, str]] = {
            key: dict(value) for key, value in creds.BY_CHANNEL.items()
        }

    @property
    def servers(self) -> tuple[FakeServer, ...]:
        return (self.x, self.line, self.facebook, self.google, self.youtube)

    def start(self) -> FakeServices:
        started: list[FakeServer] = []
        try:
            for server in self.servers:
                server.start()
                started.append(server)
        except BaseException:
            for server in started:
                server.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def __enter__(self) -> FakeServices:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def endpoints(self) -> ServiceEndpoints:
        return ServiceEndpoints(
            x=self.x.url,
            line=self.line.url,
            facebook=self.facebook.url,
            youtube=self.youtube.url,
            google_token=self.google.token_url,
        )

    def env(self) -> dict[str, str]:
        """``KODAIRA_*_API_BASE`` / ``KODAIRA_GOOGLE_TOKEN_URL`` pointing at the fakes."""
        return self.endpoints.as_env()

    def credentials_for(self, platform: str) -> dict[str, str]:
        """Credentials for a platform (X: the city account)."""
        return dict(creds.BY_PLATFORM[platform])

    def clear_faults(self) -> None:
        for server in self.servers:
            server.clear_faults()
