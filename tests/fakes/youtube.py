"""Fake Google OAuth token endpoint and YouTube Data API v3 (resumable ``videos.insert``)."""

from __future__ import annotations

import itertools
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import credentials as creds
from tests.fakes.server import FakeServer, RecordedRequest, Response, absolute_url, bearer_token

CHUNK_GRANULARITY = 256 * 1024
UPLOAD_PATH = "/upload/youtube/v3/videos"
_CONTENT_RANGE = re.compile(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)")


def google_error(status: int, message: str, reason: str) -> Response:
    return Response(
        status,
        {"error": {"code": status, "message": message, "errors": [{"reason": reason}]}},
    )


class FakeGoogleOAuth(FakeServer):
    """``POST /token`` with ``grant_type=refresh_token``; issues short random access tokens."""

    name = "google-oauth"

    def __init__(self) -> None:
        super().__init__()
        self.clients = {creds.YOUTUBE["client_id"]: creds.YOUTUBE["client_secret"]}
        self.refresh_tokens = {creds.YOUTUBE["refresh_token"]: creds.YOUTUBE["client_id"]}
        #: access token -> expiry (epoch seconds)
        self.access_tokens: dict[str, float] = {}
        self.expires_in = 3599
        self.route("POST", r"/token", self._token)

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    def revoke(self, refresh_token: str) -> None:
        with self.lock:
            self.refresh_tokens.pop(refresh_token, None)

    def is_valid(self, access_token: str | None) -> bool:
        with self.lock:
            expiry = self.access_tokens.get(access_token or "")
            return expiry is not None and expiry > time.time()

    def _token(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        form = request.form()
        if form.get("grant_type") != "refresh_token":
            return Response(400, {"error": "unsupported_grant_type"})
        if self.clients.get(form.get("client_id", "")) != form.get("client_secret"):
            return Response(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        if self.refresh_tokens.get(form.get("refresh_token", "")) != form.get("client_id"):
            return Response(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
            )
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        self.access_tokens[token] = time.time() + self.expires_in
        return Response(
            200,
            {
                "access_token": token,
                "expires_in": self.expires_in,
                "scope": "https://www.googleapis.com/auth/youtube.upload",
                "token_type": "Bearer",
            },
        )


@dataclass
class UploadSession:
    id: str
    total: int
    content_type: str
    metadata: dict[str, Any]
    received: bytearray = field(default_factory=bytearray)
    #: (first, last) byte offsets of every chunk accepted, in order.
    ranges: list[tuple[int, int]] = field(default_factory=list)
    video_id: str | None = None
    expired: bool = False


class FakeYouTube(FakeServer):
    name = "youtube"

    def __init__(self, google: FakeGoogleOAuth) -> None:
        super().__init__()
        self.google = google
        self.channel_id = "UCfakeKodairaCity000000"
        self.channel_title = "プチ田舎 東京都小平市"
        self.sessions: dict[str, UploadSession] = {}
        self.videos: dict[str, dict[str, Any]] = {}
        self.quota_exceeded = False
        self._ids = itertools.count(1)
        self.route("POST", UPLOAD_PATH, self._start)
        self.route("PUT", UPLOAD_PATH, self._put)
        self.route("GET", r"/youtube/v3/channels", self._channels)

    def authenticate(self, request: RecordedRequest) -> Response | None:
        # Upload session URLs carry their own authority; a token, if sent, must be valid.
        if request.method == "PUT" and request.header("authorization") is None:
            return None
        if not self.google.is_valid(bearer_token(request)):
            return google_error(401, "Request had invalid authentication credentials.", "authError")
        return None

    def expire_sessions(self) -> None:
        with self.lock:
            for session in self.sessions.values():
                session.expired = True

    def session_for(self, session_url: str) -> UploadSession:
        upload_id = re.search(r"upload_id=([\w-]+)", session_url)
        assert upload_id is not None
        return self.sessions[upload_id.group(1)]

    def _start(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        if request.arg("uploadType") != "resumable" or not request.arg("part"):
            return google_error(400, "uploadType=resumable and part are required", "badRequest")
        if self.quota_exceeded:
            return google_error(
                403,
                "The request cannot be completed because you have exceeded your quota.",
                "quotaExceeded",
            )
        metadata = request.json()
        length = request.header("x-upload-content-length")
        snippet = metadata.get("snippet", {}) if isinstance(metadata, dict) else {}
        if not snippet.get("title") or length is None:
            return google_error(400, "Missing title or X-Upload-Content-Length", "invalidTitle")
        status = metadata.get("status", {})
        if status.get("publishAt") and status.get("privacyStatus") != "private":
            return google_error(400, "publishAt requires privacyStatus=private", "invalidPublishAt")
        session = UploadSession(
            id=f"fake-upload-{next(self._ids)}-{secrets.token_hex(4)}",
            total=int(length),
            content_type=request.header("x-upload-content-type") or "video/*",
            metadata=metadata,
        )
        self.sessions[session.id] = session
        location = absolute_url(
            request, f"{UPLOAD_PATH}?uploadType=resumable&upload_id={session.id}"
        )
        return Response(200, None, {"Location": location})

    def _put(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        session = self.sessions.get(request.arg("upload_id") or "")
        if session is None or session.expired:
            return google_error(404, "Upload session not found", "notFound")
        if session.video_id is not None:
            return Response(200, self.videos[session.video_id])
        parsed = _CONTENT_RANGE.fullmatch(request.header("content-range") or "")
        if parsed is None:
            return google_error(400, "Bad Content-Range", "badContentRange")
        first, last, total = parsed.groups()
        if first is not None:
            error = self._accept(session, int(first), int(last), total, request.body)
            if error is not None:
                return error
        if len(session.received) == session.total:
            return Response(200, self._create_video(session))
        headers = {"Range": f"bytes=0-{len(session.received) - 1}"} if session.received else {}
        return Response(308, None, headers)

    def _accept(
        self, session: UploadSession, first: int, last: int, total: str, body: bytes
    ) -> Response | None:
        size = last - first + 1
        is_final = last + 1 == session.total
        if (
            total != str(session.total)
            or first != len(session.received)
            or size != len(body)
            or (not is_final and size % CHUNK_GRANULARITY)
        ):
            return google_error(400, "Content-Range does not match the upload", "badContentRange")
        session.received += body
        session.ranges.append((first, last))
        return None

    def _create_video(self, session: UploadSession) -> dict[str, Any]:
        video_id = f"vid{next(self._ids):08d}"
        session.video_id = video_id
        status = {"uploadStatus": "uploaded", **session.metadata.get("status", {})}
        self.videos[video_id] = {
            "kind": "youtube#video",
            "id": video_id,
            "snippet": {**session.metadata.get("snippet", {}), "channelId": self.channel_id},
            "status": status,
        }
        return self.videos[video_id]

    def _channels(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        if request.arg("mine") != "true" or not request.arg("part"):
            return google_error(400, "mine=true and part are required", "badRequest")
        return Response(
            200,
            {
                "kind": "youtube#channelListResponse",
                "items": [
                    {
                        "kind": "youtube#channel",
                        "id": self.channel_id,
                        "snippet": {"title": self.channel_title},
                    }
                ],
            },
        )
