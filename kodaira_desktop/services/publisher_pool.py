"""One publisher per channel for a dispatcher's life, made from the channel's credentials in
the OS keyring."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kodaira_desktop.domain.records import Channel
from kodaira_desktop.platforms.base import CredentialsError, ErrorKind, Publisher, PublishError
from kodaira_desktop.services.context import AppContext

PublisherFactory = Callable[[Channel, Mapping[str, str]], Publisher]


def is_retry_safe(channel: Channel) -> bool:
    """Whether a request of this channel's service may be sent again without posting twice
    (LINE's retry key, YouTube's resumable session)."""
    from kodaira_desktop.platforms.registry import RETRY_SAFE_PLATFORMS

    return channel.platform in RETRY_SAFE_PLATFORMS


class PublisherPool:
    def __init__(
        self, ctx: AppContext, factory: PublisherFactory | None = None, *, timeout: float = 30.0
    ) -> None:
        self.ctx = ctx
        self.timeout = timeout
        self._factory = factory or self._make
        self._publishers: dict[str, Publisher] = {}

    def get(self, channel: Channel) -> Publisher:
        publisher = self._publishers.get(channel.key)
        if publisher is None:
            publisher = self._factory(channel, self._credentials(channel))
            self._publishers[channel.key] = publisher
        return publisher

    def close(self) -> None:
        for publisher in self._publishers.values():
            publisher.close()
        self._publishers.clear()

    def _credentials(self, channel: Channel) -> Mapping[str, str]:
        from kodaira_desktop.platforms.registry import REQUIRED_FIELDS
        from kodaira_desktop.security.secrets import KeyringUnavailableError

        try:
            return self.ctx.secrets.get_channel_credentials(
                channel.key, REQUIRED_FIELDS[channel.platform]
            )
        except KeyringUnavailableError as error:
            # Locked (or no keyring on this PC): nothing is sent; retried later, as a keyring
            # is usually unlocked again by logging in.
            raise PublishError(ErrorKind.TRANSIENT, str(error)) from error
        except Exception as error:
            raise CredentialsError(
                f"{channel.display_name} の認証情報がありません。課長が "
                f"`kodaira-desktop credentials set {channel.key}` で登録してください。"
            ) from error

    def _make(self, channel: Channel, credentials: Mapping[str, str]) -> Publisher:
        from kodaira_desktop.platforms.registry import make_publisher

        return make_publisher(
            channel.platform, credentials, self.ctx.endpoints, timeout=self.timeout
        )
