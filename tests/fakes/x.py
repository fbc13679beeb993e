"""Fake X API v2: OAuth 1.0a verification, media upload (initialize/append/finalize/status)
and post creation, with the duplicate-content rule."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from tests.fakes import credentials as creds
from tests.fakes.server import FakeServer, RecordedRequest, Response, absolute_url

_OAUTH_PARAM = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class XUser:
    id: str
    username: str
    name: str
    access_token: str
    access_token_secret: str


@dataclass
class Tweet:
    id: str
    text: str
    author_id: str
    media_ids: list[str]


@dataclass
class MediaUpload:
    id: str
    media_type: str
    total_bytes: int
    category: str
    segments: dict[int, bytes] = field(default_factory=dict)
    finalized: bool = False
    status_polls_left: int = 0
    #: Set by POST /2/media/metadata (``metadata.alt_text.text``).
    alt_text: str | None = None

    @property
    def needs_processing(self) -> bool:
        return self.category in ("tweet_video", "tweet_gif", "amplify_video")

    @property
    def ready(self) -> bool:
        return self.finalized and self.status_polls_left <= 0


def problem(status: int, title: str, detail: str) -> Response:
    return Response(
        status, {"title": title, "detail": detail, "type": "about:blank", "status": status}
    )


def _enc(value: str) -> str:
    return quote(value, safe="~")


def expected_signature(
    request: RecordedRequest, oauth: dict[str, str], consumer_secret: str, token_secret: str
) -> str:
    """Recompute the HMAC-SHA1 signature independently of the client's implementation."""
    params = [(k, v) for k, values in request.query.items() for v in values]
    if (request.header("content-type") or "").startswith("application/x-www-form-urlencoded"):
        params += list(request.form().items())
    params += [(k, v) for k, v in oauth.items() if k not in ("oauth_signature", "realm")]
    normalized = "&".join(f"{k}={v}" for k, v in sorted((_enc(k), _enc(v)) for k, v in params))
    base = "&".join([request.method, _enc(absolute_url(request, request.path)), _enc(normalized)])
    key = f"{_enc(consumer_secret)}&{_enc(token_secret)}"
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class FakeX(FakeServer):
    name = "x"

    def __init__(self) -> None:
        super().__init__()
        self.consumer_key = creds.X_API_KEY
        self.consumer_secret = creds.X_API_SECRET
        self.users = {
            u.access_token: u
            for u in (
                XUser("1111111111", "kodaira_koho", "小平市", **_tokens(creds.X_CITY)),
                XUser("2222222222", "kodaira_mayor", "小平市市長室", **_tokens(creds.X_MAYOR)),
            )
        }
        self.tweets: list[Tweet] = []
        self.media: dict[str, MediaUpload] = {}
        #: STATUS polls that answer "in_progress" before a video is ready.
        self.processing_polls = 1
        self.check_after_secs = 0
        self._ids = itertools.count(1890000000000000001)
        self.current_user: XUser | None = None
        self.route("POST", r"/2/tweets", self._create_tweet)
        self.route("GET", r"/2/users/me", self._me)
        self.route("POST", r"/2/media/upload/initialize", self._media_init)
        self.route("POST", r"/2/media/upload/(?P<id>\d+)/append", self._media_append)
        self.route("POST", r"/2/media/upload/(?P<id>\d+)/finalize", self._media_finalize)
        self.route("GET", r"/2/media/upload", self._media_status)
        self.route("POST", r"/2/media/metadata", self._media_metadata)

    def rate_limit_response(self, seconds: int) -> Response:
        response = problem(429, "Too Many Requests", "Too Many Requests")
        response.headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(int(time.time()) + seconds),
        }
        return response

    def authenticate(self, request: RecordedRequest) -> Response | None:
        header = request.header("authorization") or ""
        if not header.startswith("OAuth "):
            return problem(401, "Unauthorized", "Unauthorized")
        oauth = {k: unquote(v) for k, v in _OAUTH_PARAM.findall(header)}
        user = self.users.get(oauth.get("oauth_token", ""))
        if (
            user is None
            or oauth.get("oauth_consumer_key") != self.consumer_key
            or oauth.get("oauth_signature_method") != "HMAC-SHA1"
            or abs(int(oauth.get("oauth_timestamp", "0")) - time.time()) > 300
            or oauth.get("oauth_signature")
            != expected_signature(request, oauth, self.consumer_secret, user.access_token_secret)
        ):
            return problem(401, "Unauthorized", "Unauthorized")
        self.current_user = user
        return None

    def _user(self) -> XUser:
        assert self.current_user is not None
        return self.current_user

    def _create_tweet(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        body = request.json()
        text = body.get("text", "") if isinstance(body, dict) else ""
        media_ids = list(body.get("media", {}).get("media_ids", [])) if body else []
        if not text and not media_ids:
            return problem(400, "Invalid Request", "One or more parameters are invalid.")
        for media_id in media_ids:
            upload = self.media.get(media_id)
            if upload is None or not upload.ready:
                return problem(400, "Invalid Request", f"Your media IDs are invalid: {media_id}")
        author = self._user()
        if any(t.text == text and t.author_id == author.id for t in self.tweets if text):
            return problem(
                403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."
            )
        tweet = Tweet(str(next(self._ids)), text, author.id, media_ids)
        self.tweets.append(tweet)
        data = {"id": tweet.id, "text": text, "edit_history_tweet_ids": [tweet.id]}
        return Response(201, {"data": data})

    def _me(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        user = self._user()
        return Response(
            200, {"data": {"id": user.id, "name": user.name, "username": user.username}}
        )

    def _media_init(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        body: dict[str, Any] = request.json() or {}
        if not body.get("media_type") or not isinstance(body.get("total_bytes"), int):
            return problem(400, "Invalid Request", "media_type and total_bytes are required")
        upload = MediaUpload(
            id=str(next(self._ids)),
            media_type=body["media_type"],
            total_bytes=body["total_bytes"],
            category=body.get("media_category", "tweet_image"),
        )
        self.media[upload.id] = upload
        data = {"id": upload.id, "media_key": f"3_{upload.id}", "expires_after_secs": 86400}
        return Response(200, {"data": data})

    def _media_append(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        upload = self.media.get(match["id"])
        parts = request.multipart()
        if upload is None or upload.finalized:
            return problem(400, "Invalid Request", "Unknown media id")
        if "media" not in parts or "segment_index" not in parts:
            return problem(400, "Invalid Request", "media and segment_index are required")
        upload.segments[int(parts["segment_index"].data)] = parts["media"].data
        return Response(200, {"data": {"expires_at": int(time.time()) + 86400}})

    def _media_finalize(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        upload = self.media.get(match["id"])
        if upload is None:
            return problem(400, "Invalid Request", "Unknown media id")
        size = sum(len(data) for data in upload.segments.values())
        if size != upload.total_bytes:
            return problem(400, "Invalid Request", "File size does not match total_bytes")
        upload.finalized = True
        data: dict[str, Any] = {
            "id": upload.id,
            "media_key": f"3_{upload.id}",
            "size": size,
            "expires_after_secs": 86400,
        }
        if upload.needs_processing:
            upload.status_polls_left = self.processing_polls
            data["processing_info"] = {
                "state": "pending",
                "check_after_secs": self.check_after_secs,
            }
        return Response(200, {"data": data})

    def _media_status(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        upload = self.media.get(request.arg("media_id") or "")
        if request.arg("command") != "STATUS" or upload is None or not upload.finalized:
            return problem(400, "Invalid Request", "Unknown media id")
        if upload.status_polls_left > 0:
            upload.status_polls_left -= 1
            info = {"state": "in_progress", "check_after_secs": self.check_after_secs}
        else:
            info = {"state": "succeeded", "progress_percent": 100}
        return Response(200, {"data": {"id": upload.id, "processing_info": info}})

    def _media_metadata(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        """Create Media metadata (X API v2): ``{"id", "metadata": {"alt_text": {"text"}}}``."""
        body: Any = request.json()
        upload = self.media.get(str(body.get("id", ""))) if isinstance(body, dict) else None
        if upload is None or not upload.finalized:
            return problem(400, "Invalid Request", "Unknown media id")
        alt = body.get("metadata", {}).get("alt_text", {})
        text = alt.get("text") if isinstance(alt, dict) else None
        if not isinstance(text, str) or not text or len(text) > 1000:
            return problem(400, "Invalid Request", "alt_text.text must be 1 to 1000 characters")
        if not upload.media_type.startswith("image/"):
            return problem(400, "Invalid Request", "alt text is only for images and GIFs")
        upload.alt_text = text
        data = {"id": upload.id, "associated_metadata": {"alt_text": {"text": text}}}
        return Response(200, {"data": data})

    def uploaded_bytes(self, media_id: str) -> bytes:
        upload = self.media[media_id]
        return b"".join(upload.segments[i] for i in sorted(upload.segments))


def _tokens(credentials: dict[str, str]) -> dict[str, str]:
    return {
        "access_token": credentials["access_token"],
        "access_token_secret": credentials["access_token_secret"],
    }
