"""YouTube Data API v3: ``videos.insert`` with the resumable upload protocol.

A video exists only once its upload completes, and an upload session can always be asked how
far it got, so every upload failure is TRANSIENT: the next attempt resumes from the session
URL that was saved (through ``save_resume``) before the first byte was sent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any

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
from kodaira_desktop.platforms.google_oauth import GoogleTokenSource
from kodaira_desktop.platforms.media_files import file_size, is_video, missing_file_error
from kodaira_desktop.platforms.transport import (
    CODE_AUTH,
    CODE_INVALID,
    CODE_MEDIA,
    CODE_NETWORK,
    CODE_QUOTA,
    CODE_SERVER,
    json_object,
    new_client,
    redact,
    retry_after_seconds,
    transport_failure,
)

SERVICE = "YouTube"
UPLOAD_PATH = "/upload/youtube/v3/videos"
CHANNELS_PATH = "/youtube/v3/channels"
CHUNK_GRANULARITY = 256 * 1024
DEFAULT_CHUNK_SIZE = 32 * CHUNK_GRANULARITY  # 8 MiB
DEFAULT_CATEGORY_ID = "22"  # People & Blogs
MAX_TITLE_LENGTH = 100
RESUME_INCOMPLETE = 308
#: Quota and rate errors arrive as 403 with one of these reasons; they pass with time.
RETRYABLE_REASONS = frozenset(
    {"quotaExceeded", "uploadLimitExceeded", "rateLimitExceeded", "userRateLimitExceeded"}
)
_RANGE = re.compile(r"bytes=0-(\d+)")


def video_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def rfc3339_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise PublishError(
            ErrorKind.PERMANENT,
            "YouTubeの公開予約日時にタイムゾーンがありません。",
            code=CODE_INVALID,
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def video_title(request: PublishRequest) -> str:
    if request.title and request.title.strip():
        return request.title.strip()[:MAX_TITLE_LENGTH]
    lines = request.text.strip().splitlines()
    return lines[0].strip()[:MAX_TITLE_LENGTH] if lines else ""


def video_metadata(request: PublishRequest, category_id: str) -> dict[str, Any]:
    title = video_title(request)
    if not title:
        raise PublishError(
            ErrorKind.PERMANENT, "YouTube動画のタイトルがありません。", code=CODE_INVALID
        )
    status: dict[str, Any] = {"privacyStatus": "public", "selfDeclaredMadeForKids": False}
    if request.publish_at is not None:
        status["privacyStatus"] = "private"
        status["publishAt"] = rfc3339_utc(request.publish_at)
    return {
        "snippet": {"title": title, "description": request.text, "categoryId": category_id},
        "status": status,
    }


def pick_video(media: Sequence[MediaFile]) -> MediaFile:
    videos = [item for item in media if is_video(item)]
    if len(videos) != 1 or len(media) != 1:
        raise PublishError(
            ErrorKind.PERMANENT,
            "YouTubeへの投稿には動画ファイルを1つだけ添付してください。",
            code=CODE_MEDIA,
        )
    return videos[0]


def next_offset(response: httpx.Response) -> int:
    """The first byte the server still needs, from a 308's ``Range: bytes=0-N``."""
    match = _RANGE.fullmatch(response.headers.get("range", "").strip())
    return int(match.group(1)) + 1 if match else 0


class YouTubePublisher:
    idempotent = False

    def __init__(
        self,
        tokens: GoogleTokenSource,
        base_url: str,
        *,
        timeout: float = 30.0,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        category_id: str = DEFAULT_CATEGORY_ID,
    ) -> None:
        if chunk_size <= 0 or chunk_size % CHUNK_GRANULARITY:
            raise ValueError("chunk_size must be a positive multiple of 256 KiB")
        self._tokens = tokens
        self._client = new_client(base_url, timeout)
        self._chunk_size = chunk_size
        self._category_id = category_id

    def __repr__(self) -> str:
        return f"YouTubePublisher(base_url={str(self._client.base_url)!r})"

    def close(self) -> None:
        self._client.close()
        self._tokens.close()

    def publish(
        self,
        request: PublishRequest,
        *,
        progress: ProgressCallback | None = None,
        save_resume: ResumeCallback | None = None,
    ) -> PublishResult:
        video = pick_video(request.media)
        total = file_size(SERVICE, video)
        if total == 0:
            raise PublishError(ErrorKind.PERMANENT, "動画ファイルが空です。", code=CODE_MEDIA)
        metadata = video_metadata(request, request.extra.get("category_id", self._category_id))
        if request.resume_state:
            state = self._query_session(request.resume_state, total)
            if isinstance(state, PublishResult):
                if progress:
                    progress(total, total)
                return state
            if state is not None:
                return self._upload(request.resume_state, video, state, total, progress)
        session_url = self._start_session(metadata, video, total)
        if save_resume:
            save_resume(session_url)
        return self._upload(session_url, video, 0, total, progress)

    def check_credentials(self) -> str:
        try:
            response = self._client.get(
                CHANNELS_PATH,
                params={"part": "snippet", "mine": "true"},
                headers=self._auth(),
            )
        except httpx.TransportError as exc:
            raise transport_failure(SERVICE, exc, creates_post=False) from exc
        if response.status_code != 200:
            raise self._error(response)
        items = json_object(response).get("items") or [{}]
        channel = items[0] if isinstance(items[0], dict) else {}
        return f"{channel.get('snippet', {}).get('title', '')} ({channel.get('id', '')})"

    # -- protocol steps ------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._tokens.access_token()}"}

    def _start_session(self, metadata: dict[str, Any], video: MediaFile, total: int) -> str:
        try:
            response = self._client.post(
                UPLOAD_PATH,
                params={"uploadType": "resumable", "part": "snippet,status"},
                json=metadata,
                headers={
                    **self._auth(),
                    "X-Upload-Content-Length": str(total),
                    "X-Upload-Content-Type": video.mime,
                },
            )
        except httpx.TransportError as exc:
            # At worst an unused session was opened; no video exists without its bytes.
            raise transport_failure(SERVICE, exc, creates_post=False) from exc
        location: str = response.headers.get("location", "")
        if response.status_code != 200 or not location:
            raise self._error(response)
        return location

    def _query_session(self, session_url: str, total: int) -> PublishResult | int | None:
        """Where an earlier upload stands: finished, the next offset, or None if expired."""
        response = self._put(session_url, b"", f"bytes */{total}")
        if response.status_code in (200, 201):
            return self._result(response)
        if response.status_code == RESUME_INCOMPLETE:
            return next_offset(response)
        if response.status_code in (404, 410):
            return None
        raise self._error(response)

    def _upload(
        self,
        session_url: str,
        video: MediaFile,
        offset: int,
        total: int,
        progress: ProgressCallback | None,
    ) -> PublishResult:
        try:
            handle: IO[bytes] = video.path.open("rb")
        except OSError as exc:
            raise missing_file_error(SERVICE, video.path) from exc
        with handle:
            while True:
                if progress:
                    progress(offset, total)
                handle.seek(offset)
                data = handle.read(self._chunk_size)
                if not data:
                    raise PublishError(
                        ErrorKind.TRANSIENT,
                        "YouTubeへのアップロードの状態が合いません。後で続きから再開します。",
                        code=CODE_SERVER,
                    )
                content_range = f"bytes {offset}-{offset + len(data) - 1}/{total}"
                response = self._put(session_url, data, content_range)
                if response.status_code in (200, 201):
                    if progress:
                        progress(total, total)
                    return self._result(response)
                if response.status_code != RESUME_INCOMPLETE:
                    raise self._error(response)
                offset = next_offset(response)

    def _put(self, session_url: str, data: bytes, content_range: str) -> httpx.Response:
        try:
            return self._client.put(
                session_url,
                content=data,
                headers={**self._auth(), "Content-Range": content_range},
            )
        except httpx.TransportError as exc:
            raise PublishError(
                ErrorKind.TRANSIENT,
                "YouTubeへのアップロードが中断されました。次回は続きから再開します。",
                code=CODE_NETWORK,
            ) from exc

    def _result(self, response: httpx.Response) -> PublishResult:
        video_id = json_object(response).get("id")
        if not isinstance(video_id, str) or not video_id:
            # The upload finished; asking the session again returns the video resource.
            raise PublishError(
                ErrorKind.TRANSIENT,
                "YouTubeからの応答に動画IDがありませんでした。後で確認し直します。",
                status=response.status_code,
                code=CODE_SERVER,
            )
        return PublishResult(remote_id=video_id, remote_url=video_url(video_id))

    def _error(self, response: httpx.Response) -> PublishError:
        return classify_response(response, secrets=self._tokens.secrets())


def classify_response(response: httpx.Response, *, secrets: Sequence[str] = ()) -> PublishError:
    status = response.status_code
    error = json_object(response).get("error")
    error = error if isinstance(error, dict) else {}
    reasons = {
        str(item.get("reason", "")) for item in error.get("errors", []) if isinstance(item, dict)
    }
    detail = redact(str(error.get("message", "")), secrets)

    def err(kind: ErrorKind, message: str, code: str) -> PublishError:
        return PublishError(
            kind,
            message,
            retry_after=retry_after_seconds(response.headers),
            status=status,
            code=code,
        )

    if status == 401:
        return err(
            ErrorKind.PERMANENT,
            "YouTubeの認証に失敗しました。認証情報を確認してください。",
            CODE_AUTH,
        )
    if reasons & RETRYABLE_REASONS or status == 429:
        return err(
            ErrorKind.TRANSIENT,
            "YouTubeのアップロード回数または割り当ての上限に達しました。時間をおいて自動的に再送します。",
            CODE_QUOTA,
        )
    if status in (404, 410):
        return err(
            ErrorKind.TRANSIENT,
            "YouTubeのアップロードの有効期限が切れました。次回は最初からアップロードし直します。",
            CODE_SERVER,
        )
    if status >= 500:
        return err(
            ErrorKind.TRANSIENT,
            f"YouTubeでエラーが発生しました（HTTP {status}）。次回は続きから再開します。",
            CODE_SERVER,
        )
    if status == 403:
        return err(
            ErrorKind.PERMANENT,
            f"YouTubeがこの操作を許可しませんでした。チャンネルの権限を確認してください。{detail}",
            CODE_AUTH,
        )
    return err(
        ErrorKind.PERMANENT,
        f"YouTubeが動画の情報を受け付けませんでした（HTTP {status}）。{detail}",
        CODE_INVALID,
    )
