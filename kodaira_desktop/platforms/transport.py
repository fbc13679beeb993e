"""HTTP plumbing shared by the platform clients: client set-up and failure classification.

The one rule that matters here is *exactly once*: a failure is UNKNOWN only when the request
that creates the post may have reached the service and we cannot tell whether it acted.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from kodaira_desktop import __version__
from kodaira_desktop.platforms.base import ErrorKind, PublishError

USER_AGENT = f"KodairaDesktop/{__version__}"

#: The request never left this machine: the service cannot have acted on it.
NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)

# Codes in PublishError.code, stable for the dispatcher, logs and tests.
CODE_AUTH = "auth"
CODE_DUPLICATE = "duplicate"
CODE_RATE_LIMIT = "rate_limit"
CODE_SERVER = "server"
CODE_NETWORK = "network"
CODE_OUTCOME_UNKNOWN = "outcome_unknown"
CODE_INVALID = "invalid_request"
CODE_MEDIA = "media"
CODE_QUOTA = "quota"


def new_client(
    base_url: str,
    timeout: float,
    *,
    auth: httpx.Auth | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Client:
    all_headers = {"User-Agent": USER_AGENT}
    all_headers.update(headers or {})
    return httpx.Client(
        base_url=base_url.rstrip("/"),
        timeout=timeout,
        auth=auth,
        headers=all_headers,
        follow_redirects=False,
    )


def transport_failure(
    service: str, exc: httpx.TransportError, *, creates_post: bool
) -> PublishError:
    """Classify a network failure.

    ``creates_post`` says whether the failed request is the one that publishes; if it may
    have arrived, the outcome is UNKNOWN, otherwise (uploads, idempotent calls) TRANSIENT.
    """
    if isinstance(exc, NOT_SENT_ERRORS):
        return PublishError(
            ErrorKind.TRANSIENT,
            f"{service}に接続できませんでした。ネットワーク接続を確認してください。"
            "後で自動的に再送します。",
            code=CODE_NETWORK,
        )
    if creates_post:
        return PublishError(
            ErrorKind.UNKNOWN,
            f"{service}への送信後に応答がありませんでした。投稿されている可能性があるため、"
            f"自動では再送しません。{service}で投稿の有無を確認してください。",
            code=CODE_OUTCOME_UNKNOWN,
        )
    return PublishError(
        ErrorKind.TRANSIENT,
        f"{service}との通信が途中で切れました。後で自動的に再送します。",
        code=CODE_NETWORK,
    )


def retry_after_seconds(
    headers: httpx.Headers, *, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds to wait, from ``Retry-After`` or X's ``x-rate-limit-reset`` (epoch seconds)."""
    reset = headers.get("x-rate-limit-reset")
    if reset is not None:
        try:
            return max(0.0, float(reset) - now())
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError):
        return None


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The response body as a JSON object, or ``{}`` when it is not one."""
    try:
        data = json.loads(response.content or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def redact(text: str, secrets: Iterable[str]) -> str:
    """Remove any secret that a service (or a proxy) might echo back, and keep it short."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text if len(text) <= 300 else text[:300] + "…"
