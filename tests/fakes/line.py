"""Fake LINE Messaging API: broadcast with X-Line-Retry-Key semantics, quota, bot info."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from tests.fakes import credentials as creds
from tests.fakes.server import FakeServer, RecordedRequest, Response, bearer_token

MAX_TEXT_LENGTH = 5000


@dataclass
class Broadcast:
    request_id: str
    retry_key: str | None
    messages: list[dict[str, Any]]


class FakeLine(FakeServer):
    name = "line"

    def __init__(self) -> None:
        super().__init__()
        self.channel_access_token = creds.LINE["channel_access_token"]
        self.broadcasts: list[Broadcast] = []
        #: retry key -> request id of the request that was accepted with it
        self.accepted_keys: dict[str, str] = {}
        #: None means the plan has no monthly limit.
        self.monthly_limit: int | None = 1000
        self.followers = 120
        self.usage = 0
        self.route("POST", r"/v2/bot/message/broadcast", self._broadcast)
        self.route("GET", r"/v2/bot/message/quota", self._quota)
        self.route("GET", r"/v2/bot/message/quota/consumption", self._consumption)
        self.route("GET", r"/v2/bot/info", self._info)

    def authenticate(self, request: RecordedRequest) -> Response | None:
        if bearer_token(request) != self.channel_access_token:
            return Response(
                401,
                {
                    "message": "Authentication failed. Confirm that the access token in the "
                    "authorization header is valid."
                },
                {"x-line-request-id": str(uuid.uuid4())},
            )
        return None

    def _broadcast(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        request_id = str(uuid.uuid4())
        headers = {"x-line-request-id": request_id}
        key = request.header("x-line-retry-key")
        if key is not None:
            try:
                key = str(uuid.UUID(key))
            except ValueError:
                return Response(400, {"message": "The retry key must be a UUID"}, headers)
            if key in self.accepted_keys:
                headers["x-line-accepted-request-id"] = self.accepted_keys[key]
                return Response(409, {"message": "The retry key is already accepted"}, headers)
        body = request.json()
        messages = body.get("messages") if isinstance(body, dict) else None
        problems = validate_messages(messages)
        if problems:
            return Response(
                400,
                {"message": f"The request body has {len(problems)} error(s)", "details": problems},
                headers,
            )
        assert isinstance(messages, list)
        if self.monthly_limit is not None and self.usage + self.followers > self.monthly_limit:
            return Response(429, {"message": "You have reached your monthly limit."}, headers)
        self.usage += self.followers
        self.broadcasts.append(Broadcast(request_id, key, messages))
        if key is not None:
            self.accepted_keys[key] = request_id
        return Response(200, {}, headers)

    def _quota(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        if self.monthly_limit is None:
            return Response(200, {"type": "none"})
        return Response(200, {"type": "limited", "value": self.monthly_limit})

    def _consumption(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        return Response(200, {"totalUsage": self.usage})

    def _info(self, request: RecordedRequest, match: re.Match[str]) -> Response:
        return Response(
            200,
            {
                "userId": "Ufake0000000000000000000000000001",
                "basicId": "@kodairacity",
                "displayName": "小平市",
                "pictureUrl": "https://profile.line-scdn.net/fake",
                "chatMode": "bot",
                "markAsReadMode": "auto",
            },
        )


def validate_messages(messages: Any) -> list[dict[str, str]]:
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return [{"message": "Size must be between 1 and 5", "property": "messages"}]
    problems = []
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "text":
            text = message.get("text")
            if not isinstance(text, str) or not text or len(text) > MAX_TEXT_LENGTH:
                problems.append(
                    {"message": "Length must be between 1 and 5000", "property": f"{where}.text"}
                )
        elif kind == "image":
            for name in ("originalContentUrl", "previewImageUrl"):
                url = message.get(name)
                if not isinstance(url, str) or not url.startswith("https://"):
                    problems.append(
                        {"message": "Must be an HTTPS URL", "property": f"{where}.{name}"}
                    )
        else:
            problems.append({"message": "Invalid message type", "property": f"{where}.type"})
    return problems
