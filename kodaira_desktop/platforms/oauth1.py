"""OAuth 1.0a request signing with HMAC-SHA1 (RFC 5849), as X requires for user context.

Pure functions plus a small :class:`httpx.Auth` that applies them to each request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlsplit

import httpx

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
_DEFAULT_PORTS = {"http": 80, "https": 443}

Params = Sequence[tuple[str, str]]


def percent_encode(value: str) -> str:
    """RFC 5849 §3.6: UTF-8, then escape everything but the RFC 3986 unreserved set."""
    return quote(value.encode("utf-8"), safe="-._~")


def base_string_uri(url: str) -> str:
    """RFC 5849 §3.4.1.2: lower-case scheme and host, no default port, no query/fragment."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    return f"{scheme}://{host}{parts.path or '/'}"


def query_parameters(url: str) -> list[tuple[str, str]]:
    """The query component decoded as form data (RFC 5849 §3.4.1.3.1), blanks kept."""
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def normalize_parameters(params: Iterable[tuple[str, str]]) -> str:
    """RFC 5849 §3.4.1.3.2: encode names and values, sort by name then value, join."""
    encoded = sorted((percent_encode(name), percent_encode(value)) for name, value in params)
    return "&".join(f"{name}={value}" for name, value in encoded)


def signature_base_string(method: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """RFC 5849 §3.4.1: METHOD&encoded-base-uri&encoded-normalized-parameters.

    ``params`` are all parameters to sign: query, form body and ``oauth_*`` (without
    ``oauth_signature`` and ``realm``).
    """
    return "&".join(
        (
            percent_encode(method.upper()),
            percent_encode(base_string_uri(url)),
            percent_encode(normalize_parameters(params)),
        )
    )


def hmac_sha1_signature(base_string: str, consumer_secret: str, token_secret: str) -> str:
    key = f"{percent_encode(consumer_secret)}&{percent_encode(token_secret)}"
    digest = hmac.new(key.encode("ascii"), base_string.encode("ascii"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class OAuth1Credentials:
    consumer_key: str
    consumer_secret: str = field(repr=False)
    token: str = field(repr=False)
    token_secret: str = field(repr=False)

    def secrets(self) -> tuple[str, ...]:
        return (self.consumer_secret, self.token, self.token_secret)


def oauth_parameters(
    credentials: OAuth1Credentials, *, nonce: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    return {
        "oauth_consumer_key": credentials.consumer_key,
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(int(time.time()) if timestamp is None else timestamp),
        "oauth_token": credentials.token,
        "oauth_version": "1.0",
    }


def sign(
    method: str,
    url: str,
    credentials: OAuth1Credentials,
    *,
    form: Params = (),
    nonce: str | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """The ``oauth_*`` parameters including ``oauth_signature`` for this request."""
    oauth = oauth_parameters(credentials, nonce=nonce, timestamp=timestamp)
    params = [*query_parameters(url), *form, *oauth.items()]
    base = signature_base_string(method, url, params)
    oauth["oauth_signature"] = hmac_sha1_signature(
        base, credentials.consumer_secret, credentials.token_secret
    )
    return oauth


def authorization_header(oauth: dict[str, str]) -> str:
    """RFC 5849 §3.5.1: ``OAuth k="v", ...`` with encoded names and values."""
    pairs = ", ".join(f'{percent_encode(k)}="{percent_encode(v)}"' for k, v in oauth.items())
    return f"OAuth {pairs}"


class OAuth1Auth(httpx.Auth):
    """Signs each request; form-encoded bodies are signed too, JSON and multipart are not."""

    requires_request_body = True

    def __init__(self, credentials: OAuth1Credentials) -> None:
        self._credentials = credentials

    def __repr__(self) -> str:
        return f"OAuth1Auth(consumer_key={self._credentials.consumer_key!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        form: list[tuple[str, str]] = []
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() == FORM_CONTENT_TYPE:
            form = parse_qsl(request.content.decode("utf-8"), keep_blank_values=True)
        oauth = sign(request.method, str(request.url), self._credentials, form=form)
        request.headers["Authorization"] = authorization_header(oauth)
        yield request
