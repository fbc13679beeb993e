"""Facebook Graph API: posts and photos on the city's Page.

Publishing is exactly-once-or-ask: photo uploads with ``published=false`` create nothing
visible, so their failures are TRANSIENT; the single call that publishes is UNKNOWN when its
answer is lost.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

from kodaira_desktop.platforms.base import (
    ErrorKind,
    MediaFile,
    ProgressCallback,
    PublishError,
    PublishRequest,
    PublishResult,
    ResumeCallback,
)
from kodaira_desktop.platforms.media_files import is_image, read_bytes
from kodaira_desktop.platforms.transport import (
    CODE_AUTH,
    CODE_DUPLICATE,
    CODE_INVALID,
    CODE_MEDIA,
    CODE_OUTCOME_UNKNOWN,
    CODE_RATE_LIMIT,
    CODE_SERVER,
    json_object,
    new_client,
    redact,
    transport_failure,
)

SERVICE = "Facebook"
GRAPH_VERSION = "v26.0"
THROTTLING_CODES = frozenset({4, 17, 32, 613, 80001})
TEMPORARY_CODES = frozenset({1, 2})
TOKEN_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
DUPLICATE_CODE = 506


def post_url(post_id: str) -> str:
    return f"https://www.facebook.com/{post_id}"


class FacebookPublisher:
    idempotent = False

    def __init__(
        self, page_id: str, page_access_token: str, base_url: str, *, timeout: float = 30.0
    ) -> None:
        self._page_id = page_id
        self._token = page_access_token
        self._client = new_client(base_url, timeout)

    def __repr__(self) -> str:
        return f"FacebookPublisher(page_id={self._page_id!r})"

    def close(self) -> None:
        self._client.close()

    def publish(
        self,
        request: PublishRequest,
        *,
        progress: ProgressCallback | None = None,
        save_resume: ResumeCallback | None = None,
    ) -> PublishResult:
        for item in request.media:
            if not is_image(item):
                raise PublishError(
                    ErrorKind.PERMANENT,
                    f"Facebookへの投稿に添付できるのは画像だけです（{item.mime}）。",
                    code=CODE_MEDIA,
                )
        images = list(request.media)
        if len(images) == 1:
            return self._publish_photo(images[0], request.text)
        attached = [self._upload_unpublished(image) for image in images]
        fields: dict[str, str] = {"message": request.text}
        for index, photo_id in enumerate(attached):
            fields[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        body = self._call("feed", data=fields, publishing=True)
        return self._result(str(body.get("id", "")))

    def check_credentials(self) -> str:
        try:
            # The token goes in a header, never in a URL (URLs end up in logs).
            response = self._client.get(
                f"/{GRAPH_VERSION}/{self._page_id}",
                params={"fields": "id,name"},
                headers={"Authorization": f"Bearer {self._token}"},
            )
        except httpx.TransportError as exc:
            raise transport_failure(SERVICE, exc, creates_post=False) from exc
        if response.status_code != 200:
            raise classify_response(response, publishing=False, secrets=(self._token,))
        page = json_object(response)
        return f"{page.get('name', '')} ({page.get('id', '')})"

    def _publish_photo(self, image: MediaFile, text: str) -> PublishResult:
        # The Page Photos reference takes a photo's text as ``caption`` (``message`` is
        # deprecated there); a feed post with attached photos keeps ``message``.
        body = self._call("photos", data={"caption": text}, image=image, publishing=True)
        return self._result(str(body.get("post_id") or body.get("id") or ""))

    def _upload_unpublished(self, image: MediaFile) -> str:
        body = self._call("photos", data={"published": "false"}, image=image, publishing=False)
        photo_id = str(body.get("id", ""))
        if not photo_id:
            raise PublishError(
                ErrorKind.TRANSIENT,
                "Facebookへの画像のアップロード結果を読み取れませんでした。後で自動的に再送します。",
                code=CODE_SERVER,
            )
        return photo_id

    def _call(
        self,
        edge: str,
        *,
        data: dict[str, str],
        publishing: bool,
        image: MediaFile | None = None,
    ) -> dict[str, Any]:
        fields = {**data, "access_token": self._token}
        files = None
        if image is not None:
            files = {"source": (image.path.name, read_bytes(SERVICE, image), image.mime)}
        try:
            response = self._client.post(
                f"/{GRAPH_VERSION}/{self._page_id}/{edge}", data=fields, files=files
            )
        except httpx.TransportError as exc:
            raise transport_failure(SERVICE, exc, creates_post=publishing) from exc
        if response.status_code != 200:
            raise classify_response(response, publishing=publishing, secrets=(self._token,))
        return json_object(response)

    def _result(self, post_id: str) -> PublishResult:
        if not post_id:
            raise PublishError(
                ErrorKind.UNKNOWN,
                "Facebookからの応答に投稿IDがありませんでした。投稿されている可能性があるため、"
                "Facebookで確認してください。",
                code=CODE_OUTCOME_UNKNOWN,
            )
        return PublishResult(remote_id=post_id, remote_url=post_url(post_id))


def regain_access_seconds(headers: httpx.Headers) -> float | None:
    """Minutes until the throttle lifts, from the Business Use Case usage header."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = [
            float(entry.get("estimated_time_to_regain_access", 0))
            for entries in usage.values()
            for entry in entries
        ]
    except (ValueError, AttributeError, TypeError):
        return None
    return max(minutes) * 60 if minutes and max(minutes) > 0 else None


def classify_response(
    response: httpx.Response, *, publishing: bool, secrets: Sequence[str] = ()
) -> PublishError:
    status = response.status_code
    error = json_object(response).get("error")
    if not isinstance(error, dict):
        error = {}
    code = error.get("code")
    code = code if isinstance(code, int) else None
    detail = redact(str(error.get("message", "")), secrets)
    code_text = str(code) if code is not None else None

    def err(kind: ErrorKind, message: str, slug: str, retry: float | None = None) -> PublishError:
        return PublishError(kind, message, retry_after=retry, status=status, code=slug)

    if code in TOKEN_CODES:
        return err(
            ErrorKind.PERMANENT,
            "Facebookのアクセストークンが無効か期限切れです。認証情報を更新してください。",
            CODE_AUTH,
        )
    if code in PERMISSION_CODES:
        return err(
            ErrorKind.PERMANENT,
            "Facebookページへの投稿権限がありません。トークンの権限を確認してください。",
            CODE_AUTH,
        )
    if code == DUPLICATE_CODE:
        return err(
            ErrorKind.PERMANENT,
            "Facebookが重複投稿として拒否しました。同じ内容はすでに投稿されています。",
            CODE_DUPLICATE,
        )
    if code in THROTTLING_CODES:
        return err(
            ErrorKind.TRANSIENT,
            "Facebookの呼び出し回数の制限に達しました。時間をおいて自動的に再送します。",
            CODE_RATE_LIMIT,
            regain_access_seconds(response.headers),
        )
    if code in TEMPORARY_CODES:
        return err(
            ErrorKind.TRANSIENT,
            "Facebookで一時的なエラーが発生しました。後で自動的に再送します。",
            CODE_SERVER,
        )
    if status >= 500 and publishing:
        return err(
            ErrorKind.UNKNOWN,
            f"Facebookでエラーが発生しました（HTTP {status}）。投稿されている可能性があるため、"
            "自動では再送しません。Facebookで投稿の有無を確認してください。",
            CODE_OUTCOME_UNKNOWN,
        )
    if status >= 500:
        return err(
            ErrorKind.TRANSIENT,
            f"Facebookでエラーが発生しました（HTTP {status}）。後で自動的に再送します。",
            CODE_SERVER,
        )
    if status == 401:
        return err(
            ErrorKind.PERMANENT,
            "Facebookの認証に失敗しました。認証情報を確認してください。",
            CODE_AUTH,
        )
    suffix = f"（エラーコード {code_text}）" if code_text else f"（HTTP {status}）"
    return err(
        ErrorKind.PERMANENT,
        f"Facebookが投稿内容を受け付けませんでした{suffix}。{detail}",
        CODE_INVALID,
    )
