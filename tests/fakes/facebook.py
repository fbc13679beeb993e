"""Fake Facebook Graph API (Pages): feed posts, photos (published and unpublished) and the
Graph error shape ``{"error": {"message", "type", "code", "fbtrace_id"}}``."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import credentials as creds
from tests.fakes.server import FakeServer, RecordedRequest, Response

GRAPH_VERSION = "v26.0"
_PAGE = r"/(?P<version>v\d+\.\d+)/(?P<page>\d+)"

#: Typical messages per Graph error code, for error_body().
ERROR_MESSAGES = {
    1: "An unknown error occurred",
    2: "An unexpected error has occurred. Please retry your request later.",
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    100: "(#100) Invalid parameter",
    190: "Error validating access token: Session has expired.",
    200: "(#200) Permissions error",
    506: "(#506) Duplicate status message",
    613: "(#613) Calls to this api have exceeded the rate limit.",
}


def error_body(code: int, message: str | None = None) -> dict[str, Any]:
    return {
        "error": {
            "message": message or ERROR_MESSAGES.get(code, "An error occurred"),
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "AFakeTraceId000",
        }
    }


@dataclass
class Photo:
    id: str
    page_id: str
    data: bytes
    published: bool
    message: str = ""
    post_id: str | None = None


@dataclass
class Post:
    id: str
    message: str
    photo_ids: list[str] = field(default_factory=list)


class FakeFacebook(FakeServer):
    name = "facebook"

    def __init__(self) -> None:
        super().__init__()
        self.page_id = creds.FACEBOOK["page_id"]
        self.page_name = "小平市 (koho.kodairacity)"
        self.page_access_token = creds.FACEBOOK["page_access_token"]
        self.posts: list[Post] = []
        self.photos: dict[str, Photo] = {}
        self._ids = itertools.count(700000000000001)
        self.route("POST", _PAGE + r"/feed", self._feed)
        self.route("POST", _PAGE + r"/photos", self._photos)
        self.route("GET", _PAGE, self._page)

    def rate_limit_response(self, seconds: int) -> Response:
        usage = {
            self.page_id: [
                {
                    "type": "pages",
                    "call_count": 100,
                    "total_cputime": 10,
                    "total_time": 10,
                    "estimated_time_to_regain_access": max(1, seconds // 60),
                }
            ]
        }
        return Response(400, error_body(32), {"x-business-use-case-usage": json.dumps(usage)})

    def authenticate(self, request: RecordedRequest) -> Response | None:
        token = request.fields().get("access_token") if request.method == "POST" else None
        token = token or request.arg("access_token")
        header = request.header("authorization") or ""
        if not token and header.split(" ")[0].lower() in ("bearer", "oauth"):
            token = header.partition(" ")[2].strip()
        if token != self.page_access_token:
            return Response(400, error_body(190, "Invalid OAuth access token data."))
        return None

    def _check_page(self, match: re.Match[str]) -> Response | None:
        if match["page"] != self.page_id:
            return Response(400, error_body(100, "(#100) Unknown page"))
        return None

    def _feed(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        if (problem := self._check_page(match)) is not None:
            return problem
        fields = request.fields()
        message = fields.get("message", "")
        photo_ids = []
        for name in sorted(k for k in fields if k.startswith("attached_media[")):
            photo = self.photos.get(json.loads(fields[name]).get("media_fbid", ""))
            if photo is None or photo.published or photo.post_id:
                return Response(400, error_body(100, "(#100) Invalid attached_media"))
            photo_ids.append(photo.id)
        if not message and not photo_ids:
            return Response(400, error_body(100, "(#100) Missing message or attachment"))
        if message and any(p.message == message for p in self.posts):
            return Response(400, error_body(506))
        post = Post(self._new_post_id(), message, photo_ids)
        for photo_id in photo_ids:
            self.photos[photo_id].post_id = post.id
        self.posts.append(post)
        return Response(200, {"id": post.id})

    def _photos(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        if (problem := self._check_page(match)) is not None:
            return problem
        parts = request.multipart()
        if "source" not in parts or not parts["source"].data:
            return Response(400, error_body(100, "(#100) No photo was uploaded"))
        fields = request.fields()
        published = fields.get("published", "true").lower() != "false"
        photo = Photo(
            str(next(self._ids)),
            self.page_id,
            parts["source"].data,
            published,
            # Page Photos: the text is ``caption``; ``message`` is deprecated there and is
            # not taken as the post's text (so a client still sending it is caught).
            fields.get("caption") or "",
        )
        self.photos[photo.id] = photo
        if not published:
            return Response(200, {"id": photo.id})
        post = Post(self._new_post_id(), photo.message, [photo.id])
        photo.post_id = post.id
        self.posts.append(post)
        return Response(200, {"id": photo.id, "post_id": post.id})

    def _page(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        if (problem := self._check_page(match)) is not None:
            return problem
        return Response(200, {"id": self.page_id, "name": self.page_name})

    def _new_post_id(self) -> str:
        return f"{self.page_id}_{next(self._ids)}"
