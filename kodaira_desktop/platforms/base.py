"""The one interface every platform client implements, and how failures are classified.

The dispatcher only sees this module: it hands a :class:`PublishRequest` to a
:class:`Publisher` and gets back a :class:`PublishResult` or a :class:`PublishError` whose
``kind`` tells it what to do next.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol


class ErrorKind(StrEnum):
    TRANSIENT = "transient"  # nothing was published; safe to try again later
    PERMANENT = "permanent"  # nothing was published; trying again will not help
    UNKNOWN = "unknown"  # the request may have been accepted; never re-send automatically


class PublishError(Exception):
    """A failed publish attempt.

    ``message_ja`` is the sentence shown to staff; it never contains a secret.
    ``retry_after`` is the number of seconds the service asked us to wait, when it said.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message_ja: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message_ja)
        self.kind = kind
        self.message_ja = message_ja
        self.retry_after = retry_after
        self.status = status
        self.code = code


class CredentialsError(Exception):
    """Credentials are missing or malformed (before any request is made)."""


@dataclass(frozen=True)
class MediaFile:
    path: Path
    mime: str
    sha256: str
    size: int
    #: 代替テキスト of an image, sent where the platform takes it (X media metadata).
    alt_text: str | None = None


@dataclass(frozen=True)
class PublishRequest:
    entry_id: int
    text: str
    media: tuple[MediaFile, ...] = ()
    #: YouTube video title.
    title: str | None = None
    #: A UUID stored with the entry before its first attempt (LINE's X-Line-Retry-Key).
    idempotency_key: str = ""
    #: Public HTTPS URLs of images, for LINE (which has no upload API).
    image_urls: tuple[str, ...] = ()
    #: YouTube: schedule the video's publication; None publishes immediately.
    publish_at: datetime | None = None
    #: Opaque state saved by an earlier interrupted attempt (the YouTube upload session URL).
    resume_state: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishResult:
    remote_id: str
    remote_url: str


#: progress(done_bytes, total_bytes)
ProgressCallback = Callable[[int, int], None]
#: save_resume(state): persist the resume state *before* continuing (e.g. the upload URL).
ResumeCallback = Callable[[str], None]


class Publisher(Protocol):
    """One platform account."""

    #: Whether a retried request can never produce a second post (LINE's retry key).
    idempotent: bool

    def publish(
        self,
        request: PublishRequest,
        *,
        progress: ProgressCallback | None = None,
        save_resume: ResumeCallback | None = None,
    ) -> PublishResult: ...

    def check_credentials(self) -> str:
        """Verify the credentials against the service; return a description of the account."""
        ...

    def close(self) -> None: ...
