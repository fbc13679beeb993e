"""Access tokens for Google APIs, refreshed from a stored OAuth refresh token."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from kodaira_desktop.platforms.base import ErrorKind, PublishError
from kodaira_desktop.platforms.transport import (
    CODE_AUTH,
    CODE_SERVER,
    json_object,
    new_client,
    transport_failure,
)

SERVICE = "YouTube"
#: Refresh this long before the token expires, so it cannot lapse mid-request.
EXPIRY_MARGIN = 60.0


class GoogleTokenSource:
    def __init__(
        self,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        token_url: str,
        *,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self._token_url = token_url
        self._client = new_client(token_url, timeout)
        self._clock = clock
        self._access_token: str | None = None
        self._expires_at = 0.0

    def __repr__(self) -> str:
        return f"GoogleTokenSource(token_url={self._token_url!r})"

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self._client_secret, self._refresh_token, self._access_token) if s)

    def close(self) -> None:
        self._client.close()

    def invalidate(self) -> None:
        self._access_token = None

    def access_token(self) -> str:
        if self._access_token and self._clock() < self._expires_at - EXPIRY_MARGIN:
            return self._access_token
        try:
            response = self._client.post(
                self._token_url,
                data={
                    "grant_type": "refresh_token",
                    "client_id": self._client_id,
                    "client_secret": self._client_secret,
                    "refresh_token": self._refresh_token,
                },
            )
        except httpx.TransportError as exc:
            raise transport_failure("Googleの認証サーバー", exc, creates_post=False) from exc
        body = json_object(response)
        token = body.get("access_token")
        if response.status_code == 200 and isinstance(token, str) and token:
            self._access_token = token
            self._expires_at = self._clock() + float(body.get("expires_in", 3600))
            return token
        raise token_error(response.status_code, str(body.get("error", "")))


def token_error(status: int, error: str) -> PublishError:
    if error in ("invalid_grant", "invalid_client", "unauthorized_client") or status in (
        400,
        401,
        403,
    ):
        return PublishError(
            ErrorKind.PERMANENT,
            "YouTube（Google）の認証に失敗しました。リフレッシュトークンが失効しているか、"
            "クライアントIDまたはシークレットが正しくありません。認証情報を設定し直してください。",
            status=status,
            code=CODE_AUTH,
        )
    return PublishError(
        ErrorKind.TRANSIENT,
        f"Googleの認証サーバーでエラーが発生しました（HTTP {status}）。後で自動的に再送します。",
        status=status,
        code=CODE_SERVER,
    )
