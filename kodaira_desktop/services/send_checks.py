"""What the dispatcher checks on each entry just before sending, trusting no path or URL that
comes from the database (anyone who can write it could have put one there).

- Media are read only as ``<aa>/<sha256>.<ext>`` inside the media folder (no other name, no
  symbolic link, nothing that resolves outside the folder) and re-hashed: the bytes must be
  the ones recorded when the item was queued (and, for an approved override, signed, since
  the signature covers the same SHA-256).
- Texts and titles hold no control or bidi-override characters (see domain/text_safety.py).
- LINE image URLs must be plain ``https://`` URLs.
- A saved YouTube upload session (``entries.resume_state``) is used only on the configured
  upload base's own scheme, host and port, over HTTPS (plain HTTP only for a test base on
  the loopback interface), so the video and the Google bearer token go nowhere else.

A refusal raises :class:`SendCheckError`; the dispatcher marks the entry ``failed`` with the
reason and audits it, and nothing of the entry is sent.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from kodaira_desktop.domain.records import AttachedMedia, Entry, Item
from kodaira_desktop.domain.text_safety import safety_problems
from kodaira_desktop.platforms.base import MediaFile
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.media import UnsafeMediaError, stored_path, verify_stored_file


class SendCheckError(Exception):
    """This entry must not be sent; the message is one sentence for staff and the audit."""


@dataclass(frozen=True)
class CheckedSend:
    """What may be sent for one entry, after the checks."""

    media: tuple[MediaFile, ...]
    image_urls: tuple[str, ...]
    resume_state: str | None


def check_entry(ctx: AppContext, entry: Entry, item: Item, platform: str) -> CheckedSend:
    """Run every send-time check for ``entry``; :class:`SendCheckError` on the first failure.

    ``item`` is the copy read after the claim, the one the approval was verified against: the
    claimed ``entry`` must still say what that copy says, so a row changed back and forth
    between the claim and the check cannot send one text under another's signature."""
    current = next((e for e in item.entries if e.id == entry.id), None)
    if current is None or (current.channel_key, current.text, current.title) != (
        entry.channel_key,
        entry.text,
        entry.title,
    ):
        raise SendCheckError("送信の直前に内容が変更されたため、送信しません。")
    refused = safety_problems(entry.text, "本文") + safety_problems(entry.title or "", "タイトル")
    if refused:  # written straight into the database: the composer never lets these through
        raise SendCheckError(refused[0])
    files = tuple(_verified(ctx, m) for m in uploaded_media(item.media, platform))
    urls = tuple(m.public_url for m in item.media if m.public_url) if platform == "line" else ()
    for url in urls:
        check_image_url(url)
    resume = entry.resume_state
    if resume is not None and platform == "youtube":
        check_resume_url(resume, ctx.endpoints.youtube)
    elif resume is not None:
        resume = None  # only YouTube resumes; a value elsewhere is never passed on
    return CheckedSend(files, urls, resume)


def uploaded_media(media: Sequence[AttachedMedia], platform: str) -> list[AttachedMedia]:
    """Videos go to YouTube (and X/Facebook when alone); images to X and Facebook; LINE
    uploads nothing (it sends images by URL)."""
    if platform == "youtube":
        return [m for m in media if m.media.mime.startswith("video/")]
    if platform == "line":
        return []
    images = [m for m in media if m.media.mime.startswith("image/")]
    return images or [m for m in media if m.media.mime.startswith("video/")][:1]


def _verified(ctx: AppContext, attached: AttachedMedia) -> MediaFile:
    record = attached.media
    try:
        path = stored_path(ctx, record)
        verify_stored_file(path, record.sha256, record.size)
    except UnsafeMediaError as error:
        raise SendCheckError(str(error)) from None
    return MediaFile(path, record.mime, record.sha256, record.size, attached.alt_text)


def check_image_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise SendCheckError(
            f"LINEの画像URL「{url[:200]}」は https:// のURLではないため送信しません。"
        )


def check_resume_url(url: str, upload_base: str) -> None:
    """The saved session URL must be on ``upload_base``'s own origin, over HTTPS unless that
    base is a test server on the loopback interface."""
    session, base = _origin(url), _origin(upload_base)
    secure = base is not None and (base[0] == "https" or _is_loopback(base[1]))
    if session is None or base is None or session != base or not secure:
        raise SendCheckError(
            f"保存されていたYouTubeのアップロード先「{url[:200]}」が設定されたアップロード先"
            f"（{upload_base}）ではないため、送信しません。"
        )


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) as the HTTP client itself parses ``url``; None for anything odd
    (non-ASCII, spaces, backslashes, user info, another scheme)."""
    if not url.isascii() or not url.isprintable() or any(c in url for c in " \\"):
        return None
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None
    scheme, host = parsed.scheme.lower(), parsed.host.lower()
    if scheme not in ("https", "http") or not host or parsed.userinfo:
        return None
    return scheme, host, parsed.port or (443 if scheme == "https" else 80)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
