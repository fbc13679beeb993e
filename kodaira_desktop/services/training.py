"""KODAIRA_FAKE_NOW moves the clock for training and tests only: a dispatcher on such a clock
publishes only to services on this machine's loopback interface (the local fakes), never to a
real service, so a moved clock can never put a real post out of hours."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from kodaira_desktop.services.context import AppContext, ServiceError

FAKE_NOW_ENV = "KODAIRA_FAKE_NOW"


def is_loopback_url(url: str) -> bool:
    """True for http(s) URLs whose host is 127.0.0.0/8, ::1 or localhost."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fake_clock_refusal(ctx: AppContext) -> ServiceError | None:
    """A refusal when this process runs on KODAIRA_FAKE_NOW and a service is not local."""
    fake = ctx.environ.get(FAKE_NOW_ENV)
    if not fake:
        return None
    endpoints = ctx.endpoints
    remote = [
        url
        for url in (
            endpoints.x,
            endpoints.line,
            endpoints.facebook,
            endpoints.youtube,
            endpoints.google_token,
        )
        if not is_loopback_url(url)
    ]
    if not remote:
        return None
    return ServiceError(
        f"{FAKE_NOW_ENV} が設定されているため、実際のサービスへは投稿しません（{remote[0]}） "
        f"({FAKE_NOW_ENV}={fake} moves the clock for training only: refusing to publish to "
        f"{remote[0]}, which is not on this machine; unset {FAKE_NOW_ENV} to dispatch)",
        invalid=True,
    )
