"""X (formerly Twitter) API v2: media upload and post creation, OAuth 1.0a user context."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
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
from kodaira_desktop.platforms.media_files import file_size, is_image, is_video, read_chunks
from kodaira_desktop.platforms.oauth1 import OAuth1Auth, OAuth1Credentials
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
    retry_after_seconds,
    transport_failure,
)

SERVICE = "X"
TWEETS_PATH = "/2/tweets"
ME_PATH = "/2/users/me"
MEDIA_INIT_PATH = "/2/media/upload/initialize"
MEDIA_STATUS_PATH = "/2/media/upload"
MEDIA_METADATA_PATH = "/2/media/metadata"
MAX_IMAGES = 4
DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024  # the API accepts up to 5 MB per APPEND
DEFAULT_MAX_PROCESSING_WAIT = 600.0


def post_url(post_id: str, username: str | None = None) -> str:
    if username:
        return f"https://x.com/{username}/status/{post_id}"
    return f"https://x.com/i/web/status/{post_id}"


def media_category(media: MediaFile) -> str:
    mime = media.mime.lower()
    if mime == "image/gif":
        return "tweet_gif"
    return "tweet_video" if is_video(media) else "tweet_image"


class XPublisher:
    """One X account (user-context OAuth 1.0a)."""

    idempotent = False

    def __init__(
        self,
        credentials: OAuth1Credentials,
        base_url: str,
        *,
        timeout: float = 30.0,
        username: str | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_processing_wait: float = DEFAULT_MAX_PROCESSING_WAIT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._secrets = credentials.secrets()
        self._client = new_client(base_url, timeout, auth=OAuth1Auth(credentials))
        self._username = username
        #: The @handle (without @) the service reported in the last credentials check.
        self.checked_username: str | None = None
        self._chunk_size = chunk_size
        self._max_processing_wait = max_processing_wait
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"XPublisher(base_url={str(self._client.base_url)!r})"

    def close(self) -> None:
        self._client.close()

    def publish(
        self,
        request: PublishRequest,
        *,
        progress: ProgressCallback | None = None,
        save_resume: ResumeCallback | None = None,
    ) -> PublishResult:
        media_ids = self._upload_media(request.media, progress)
        body: dict[str, Any] = {"text": request.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        try:
            response = self._client.post(TWEETS_PATH, json=body)
        except httpx.TransportError as exc:
            raise transport_failure(SERVICE, exc, creates_post=True) from exc
        if response.status_code not in (200, 201):
            raise self._error(response, creates_post=True)
        post_id = json_object(response).get("data", {}).get("id")
        if not isinstance(post_id, str) or not post_id:
            raise PublishError(
                ErrorKind.UNKNOWN,
                "Xからの応答に投稿IDがありませんでした。投稿されている可能性があるため、"
                "Xで確認してください。",
                status=response.status_code,
                code=CODE_OUTCOME_UNKNOWN,
            )
        return PublishResult(remote_id=post_id, remote_url=post_url(post_id, self._username))

    def check_credentials(self) -> str:
        try:
            response = self._client.get(ME_PATH)
        except httpx.TransportError as exc:
            raise transport_failure(SERVICE, exc, creates_post=False) from exc
        if response.status_code != 200:
            raise self._error(response, creates_post=False)
        user = json_object(response).get("data", {})
        username = user.get("username", "")
        self.checked_username = str(username) or None
        if username and not self._username:
            self._username = username
        return f"{user.get('name', '')} (@{username})"

    # -- media -------------------------------------------------------------------------

    def _upload_media(
        self, media: Sequence[MediaFile], progress: ProgressCallback | None
    ) -> list[str]:
        """Upload every attachment; any failure here is TRANSIENT or PERMANENT (nothing posted)."""
        check_attachments(media)
        sizes = [file_size(SERVICE, item) for item in media]
        total, done = sum(sizes), 0
        media_ids = []
        for item, size in zip(media, sizes, strict=True):
            try:
                media_ids.append(self._upload_one(item, size, done, total, progress))
            except httpx.TransportError as exc:
                raise transport_failure(SERVICE, exc, creates_post=False) from exc
            done += size
        return media_ids

    def _upload_one(
        self,
        media: MediaFile,
        size: int,
        done_before: int,
        total: int,
        progress: ProgressCallback | None,
    ) -> str:
        init = self._client.post(
            MEDIA_INIT_PATH,
            json={
                "media_type": media.mime,
                "total_bytes": size,
                "media_category": media_category(media),
            },
        )
        self._expect_ok(init)
        media_id = str(json_object(init).get("data", {}).get("id", ""))
        if not media_id:
            raise self._error(init, creates_post=False)
        chunks = read_chunks(SERVICE, media, start=0, chunk_size=self._chunk_size)
        for index, (offset, data) in enumerate(chunks):
            append = self._client.post(
                f"/2/media/upload/{media_id}/append",
                data={"segment_index": str(index)},
                files={"media": ("blob", data, "application/octet-stream")},
            )
            self._expect_ok(append)
            if progress:
                progress(done_before + offset + len(data), total)
        finalize = self._client.post(f"/2/media/upload/{media_id}/finalize")
        self._expect_ok(finalize)
        self._wait_for_processing(media_id, json_object(finalize).get("data", {}))
        if media.alt_text and is_image(media):
            metadata = {"alt_text": {"text": media.alt_text}}
            described = self._client.post(
                MEDIA_METADATA_PATH, json={"id": media_id, "metadata": metadata}
            )
            self._expect_ok(described)
        return media_id

    def _wait_for_processing(self, media_id: str, data: dict[str, Any]) -> None:
        waited = 0.0
        while True:
            info = data.get("processing_info")
            if not isinstance(info, dict):
                return
            state = info.get("state")
            if state == "succeeded":
                return
            if state == "failed":
                raise PublishError(
                    ErrorKind.PERMANENT,
                    "Xが添付ファイルを処理できませんでした。形式や長さを確認してください。",
                    code=CODE_MEDIA,
                )
            delay = float(info.get("check_after_secs", 1))
            if waited + delay > self._max_processing_wait:
                raise PublishError(
                    ErrorKind.TRANSIENT,
                    "Xでの動画の処理が終わりませんでした。後で自動的に再送します。",
                    code=CODE_MEDIA,
                )
            self._sleep(delay)
            waited += delay
            status = self._client.get(
                MEDIA_STATUS_PATH, params={"command": "STATUS", "media_id": media_id}
            )
            self._expect_ok(status)
            data = json_object(status).get("data", {})

    def _expect_ok(self, response: httpx.Response) -> None:
        if not 200 <= response.status_code < 300:
            raise self._error(response, creates_post=False)

    # -- errors ------------------------------------------------------------------------

    def _error(self, response: httpx.Response, *, creates_post: bool) -> PublishError:
        return classify_response(response, creates_post=creates_post, secrets=self._secrets)


def check_attachments(media: Sequence[MediaFile]) -> None:
    videos = [item for item in media if not is_image(item) or item.mime.lower() == "image/gif"]
    if len(media) > MAX_IMAGES or (videos and len(media) > 1):
        raise PublishError(
            ErrorKind.PERMANENT,
            "Xに添付できるのは画像4枚まで、または動画・GIF1件だけです。",
            code=CODE_MEDIA,
        )
    for item in media:
        if not (is_image(item) or is_video(item)):
            raise PublishError(
                ErrorKind.PERMANENT,
                f"Xに添付できない形式のファイルです（{item.mime}）。",
                code=CODE_MEDIA,
            )


def classify_response(
    response: httpx.Response, *, creates_post: bool, secrets: Sequence[str] = ()
) -> PublishError:
    status = response.status_code
    body = json_object(response)
    detail = redact(str(body.get("detail") or body.get("title") or ""), secrets)
    if status == 401:
        return PublishError(
            ErrorKind.PERMANENT,
            "Xの認証に失敗しました。認証情報を確認してください。",
            status=status,
            code=CODE_AUTH,
        )
    if status == 403 and "duplicate" in detail.lower():
        return PublishError(
            ErrorKind.PERMANENT,
            "Xが重複投稿として拒否しました。同じ内容はすでに投稿されています。",
            status=status,
            code=CODE_DUPLICATE,
        )
    if status == 429:
        return PublishError(
            ErrorKind.TRANSIENT,
            "Xの投稿回数の上限に達しました。制限が解除されてから自動的に再送します。",
            retry_after=retry_after_seconds(response.headers),
            status=status,
            code=CODE_RATE_LIMIT,
        )
    if status == 503 or (status >= 500 and not creates_post):
        return PublishError(
            ErrorKind.TRANSIENT,
            "Xが一時的に利用できません。後で自動的に再送します。",
            retry_after=retry_after_seconds(response.headers),
            status=status,
            code=CODE_SERVER,
        )
    if status >= 500:
        return PublishError(
            ErrorKind.UNKNOWN,
            f"Xでエラーが発生しました（HTTP {status}）。投稿されている可能性があるため、"
            "自動では再送しません。Xで投稿の有無を確認してください。",
            status=status,
            code=CODE_OUTCOME_UNKNOWN,
        )
    if status == 403:
        return PublishError(
            ErrorKind.PERMANENT,
            f"Xがこの操作を許可しませんでした。アプリの権限を確認してください。（{detail}）",
            status=status,
            code=CODE_AUTH,
        )
    return PublishError(
        ErrorKind.PERMANENT,
        f"Xが投稿内容を受け付けませんでした（HTTP {status}）。{detail}",
        status=status,
        code=CODE_INVALID,
    )
