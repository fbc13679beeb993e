"""LINE Messaging API: broadcast to all friends of the official account.

Every broadcast carries ``X-Line-Retry-Key``; LINE executes a given key at most once, so any
failure is safe to retry (TRANSIENT) and a 409 on a retry means the first attempt succeeded.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from kodaira_desktop.platforms.base import (
    ErrorKind,
    ProgressCallback,
    PublishError,
    PublishRequest,
    PublishResult,
    ResumeCallback,
)
from kodaira_desktop.platforms.transport import (
    CODE_AUTH,
    CODE_INVALID,
    CODE_QUOTA,
    CODE_RATE_LIMIT,
    CODE_SERVER,
    json_object,
    new_client,
    redact,
    retry_after_seconds,
    transport_failure,
)

SERVICE = "LINE"
BROADCAST_PATH = "/v2/bot/message/broadcast"
QUOTA_PATH = "/v2/bot/message/quota"
CONSUMPTION_PATH = "/v2/bot/message/quota/consumption"
BOT_INFO_PATH = "/v2/bot/info"
DEFAULT_PUBLIC_URL = "https://page.line.me/kodairacity"
MAX_MESSAGES = 5


@dataclass(frozen=True)
class LineQuota:
    """This month's message quota; ``limit`` is None when the plan has no limit."""

    limit: int | None
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


def build_messages(text: str, image_urls: Sequence[str]) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = []
    if text.strip():
        messages.append({"type": "text", "text": text})
    messages.extend(
        {"type": "image", "originalContentUrl": url, "previewImageUrl": url} for url in image_urls
    )
    if not messages:
        raise PublishError(
            ErrorKind.PERMANENT, "LINEに送る本文も画像もありません。", code=CODE_INVALID
        )
    if len(messages) > MAX_MESSAGES:
        raise PublishError(
            ErrorKind.PERMANENT,
            f"LINEで一度に送れるのは本文と画像を合わせて{MAX_MESSAGES}件までです。",
            code=CODE_INVALID,
        )
    return messages


def retry_key(idempotency_key: str) -> str:
    try:
        return str(uuid.UUID(idempotency_key))
    except ValueError:
        raise PublishError(
            ErrorKind.PERMANENT,
            "LINEの再送キーが正しくありません（UUIDが必要です）。",
            code=CODE_INVALID,
        ) from None


class LinePublisher:
    idempotent = True

    def __init__(
        self,
        channel_access_token: str,
        base_url: str,
        *,
        timeout: float = 30.0,
        public_url: str = DEFAULT_PUBLIC_URL,
    ) -> None:
        self._token = channel_access_token
        self._client = new_client(
            base_url, timeout, headers={"Authorization": f"Bearer {channel_access_token}"}
        )
        self._public_url = public_url

    def __repr__(self) -> str:
        return f"LinePublisher(base_url={str(self._client.base_url)!r})"

    def close(self) -> None:
        self._client.close()

    def publish(
        self,
        request: PublishRequest,
        *,
        progress: ProgressCallback | None = None,
        save_resume: ResumeCallback | None = None,
    ) -> PublishResult:
        key = retry_key(request.idempotency_key)
        body = {"messages": build_messages(request.text, request.image_urls)}
        try:
            response = self._client.post(
                BROADCAST_PATH, json=body, headers={"X-Line-Retry-Key": key}
            )
        except httpx.TransportError as exc:
            # The retry key makes a re-send harmless even if this one arrived.
            raise transport_failure(SERVICE, exc, creates_post=False) from exc
        if response.status_code == 200:
            request_id = response.headers.get("x-line-request-id") or key
            return PublishResult(remote_id=request_id, remote_url=self._public_url)
        if response.status_code == 409:
            accepted = response.headers.get("x-line-accepted-request-id") or key
            return PublishResult(remote_id=accepted, remote_url=self._public_url)
        raise self._error(response)

    def quota(self) -> LineQuota:
        limit_body = self._get(QUOTA_PATH)
        used_body = self._get(CONSUMPTION_PATH)
        limit = limit_body.get("value") if limit_body.get("type") == "limited" else None
        return LineQuota(
            limit=int(limit) if limit is not None else None,
            used=int(used_body.get("totalUsage", 0)),
        )

    def check_credentials(self) -> str:
        info = self._get(BOT_INFO_PATH)
        return f"{info.get('displayName', '')} ({info.get('basicId', '')})"

    def _get(self, path: str) -> dict[str, Any]:
        try:
            response = self._client.get(path)
        except httpx.TransportError as exc:
            raise transport_failure(SERVICE, exc, creates_post=False) from exc
        if response.status_code != 200:
            raise self._error(response)
        return json_object(response)

    def _error(self, response: httpx.Response) -> PublishError:
        return classify_response(response, secrets=(self._token,))


def classify_response(response: httpx.Response, *, secrets: Sequence[str] = ()) -> PublishError:
    status = response.status_code
    body = json_object(response)
    detail = str(body.get("message", ""))
    details = body.get("details")
    if isinstance(details, list):
        detail += " " + " ".join(
            f"{item.get('property', '')}: {item.get('message', '')}"
            for item in details
            if isinstance(item, dict)
        )
    detail = redact(detail.strip(), secrets)
    if status == 429:
        monthly = "monthly limit" in detail.lower()
        return PublishError(
            ErrorKind.TRANSIENT,
            "LINEの今月の送信可能数を超えました。上限や残数を確認してください。"
            if monthly
            else "LINEの送信回数の制限に達しました。後で自動的に再送します。",
            retry_after=retry_after_seconds(response.headers),
            status=status,
            code=CODE_QUOTA if monthly else CODE_RATE_LIMIT,
        )
    if status >= 500:
        return PublishError(
            ErrorKind.TRANSIENT,
            f"LINEでエラーが発生しました（HTTP {status}）。後で自動的に再送します。",
            retry_after=retry_after_seconds(response.headers),
            status=status,
            code=CODE_SERVER,
        )
    if status == 401:
        return PublishError(
            ErrorKind.PERMANENT,
            "LINEの認証に失敗しました。チャネルアクセストークンを確認してください。",
            status=status,
            code=CODE_AUTH,
        )
    if status == 403:
        return PublishError(
            ErrorKind.PERMANENT,
            "このLINE公式アカウントにはこの操作の権限がありません。プランや設定を確認してください。",
            status=status,
            code=CODE_AUTH,
        )
    return PublishError(
        ErrorKind.PERMANENT,
        f"LINEが送信内容を受け付けませんでした（HTTP {status}）。{detail}",
        status=status,
        code=CODE_INVALID,
    )
