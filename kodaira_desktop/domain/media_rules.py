"""What a media file really is (by its bytes, not its name), and what each platform accepts.

`sniff` tells JPEG/PNG/GIF/WebP/MP4/MOV from magic bytes and `check_iso_boxes` checks that a
video is whole; images are decoded, verified and cleaned with Pillow in services/images.py
(services/media_inspect.py reads a file and fills a `MediaInfo`). `check_media` applies one
platform's documented limits (bytes, and pixels per side) and returns Japanese sentences for
the person posting; `downscale_fit` says what a smaller copy must meet.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, Final
from urllib.parse import urlsplit

from kodaira_desktop.domain.input_files import InputFileError
from kodaira_desktop.domain.text_rules import LINE_MAX_BUBBLES

MB: Final = 1024 * 1024
GB: Final = 1024 * MB

JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
GIF: Final = "image/gif"
WEBP: Final = "image/webp"
MP4: Final = "video/mp4"
MOV: Final = "video/quicktime"

_FORMAT_NAMES: Final = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WebP", MP4: "MP4", MOV: "MOV"}
_MEDIA_SUFFIXES: Final = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp4", ".m4v", ".mov", ".qt"}
)
_HASH_CHUNK: Final = 1024 * 1024
#: The largest file any platform takes (YouTube, 256 GB): nothing larger is even hashed.
MAX_MEDIA_BYTES: Final = 256 * GB


class MediaError(Exception):
    """A file that cannot be posted; the message is Japanese and names the file."""


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    mime: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    #: An image's bytes as uploaded (cleaned of GPS and serial numbers); None: read ``path``.
    data: bytes | None = field(default=None, repr=False, compare=False)
    #: A small PNG from the same decode, for the composer.
    thumbnail: bytes | None = field(default=None, repr=False, compare=False)
    #: What cleaning removed (Japanese), for a note.
    removed: tuple[str, ...] = ()

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.mime.startswith("video/")

    @property
    def format_name(self) -> str:
        return _FORMAT_NAMES.get(self.mime, self.mime)


# --- sniffing and integrity -----------------------------------------------------------
# Images are decoded and verified with Pillow (services/images.py); what stays here is the
# pure part: which format the first bytes promise, the video box walk, and the messages.


class CorruptFileError(Exception):
    """The header promises a format the rest of the file does not deliver."""


def _read_exact(stream: BinaryIO, count: int) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise CorruptFileError
    return data


_QUICKTIME_FIRST_BOXES: Final = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip"})


def check_iso_boxes(stream: BinaryIO, size: int) -> None:
    """Walk a video's top-level boxes: each must fit in the file, and a moov box must exist."""
    position = 0
    seen_moov = False
    try:
        while position < size:
            stream.seek(position)
            box_size, box_type = struct.unpack(">I4s", _read_exact(stream, 8))
            if box_size == 1:
                (box_size,) = struct.unpack(">Q", _read_exact(stream, 8))
            elif box_size == 0:
                box_size = size - position
            if box_size < 8 or position + box_size > size:
                raise CorruptFileError
            seen_moov = seen_moov or box_type == b"moov"
            position += box_size
    except struct.error:
        raise CorruptFileError from None
    if not seen_moov:
        raise CorruptFileError


def sniff(head: bytes) -> str | None:
    """The MIME type the first 16 bytes promise, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        return MOV if head[8:12] == b"qt  " else MP4
    if head[4:8] in _QUICKTIME_FIRST_BOXES:
        return MOV
    return None


def sha256_of(stream: BinaryIO) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(_HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def unsupported_message(path: Path) -> str:
    wanted = "JPEG・PNG・GIF・WebP の画像か、MP4・MOV の動画を選んでください。"
    if path.suffix.lower() in _MEDIA_SUFFIXES:
        return (
            f"ファイル「{path.name}」は拡張子が「{path.suffix}」ですが、"
            f"中身が対応している画像・動画ではありません。{wanted}"
        )
    return f"ファイル「{path.name}」は対応していない形式です。{wanted}"


def corrupt_message(path: Path, mime: str) -> str:
    return (
        f"ファイル「{path.name}」は {_FORMAT_NAMES[mime]} として壊れているか、"
        "途中で切れています。元のファイルを保存し直してください。"
    )


def input_file_message(path: Path, error: InputFileError) -> str:
    return {
        "missing": f"ファイル「{path.name}」が見つかりません（{path}）。",
        "folder": f"「{path.name}」はフォルダーです。ファイルを選んでください。",
        "denied": f"ファイル「{path.name}」を読み込めません。アクセス権を確認してください。",
        "not_regular": (
            f"「{path.name}」は通常のファイルではありません（パイプや装置は読み込みません）。"
        ),
        "too_large": (
            f"ファイル「{path.name}」は大きすぎます（{_size_text(path)}、"
            f"上限 {MAX_MEDIA_BYTES // GB} GB）。"
        ),
    }.get(error.kind, f"ファイル「{path.name}」を読み込めません（{error}）。")


def os_error_message(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"ファイル「{path.name}」が見つかりません（{path}）。"
    if isinstance(error, IsADirectoryError):
        return f"「{path.name}」はフォルダーです。ファイルを選んでください。"
    if isinstance(error, PermissionError):
        return f"ファイル「{path.name}」を読み込めません。アクセス権を確認してください。"
    return f"ファイル「{path.name}」を読み込めません（{error.strerror or error}）。"


def _size_text(path: Path) -> str:
    try:
        return f"{path.stat().st_size / GB:.1f} GB"
    except OSError:
        return "?"


# --- per-platform limits --------------------------------------------------------------


@dataclass(frozen=True)
class MediaLimits:
    name_ja: str
    image_types: frozenset[str]
    video_types: frozenset[str]
    max_images: int
    max_videos: int
    image_max_bytes: int
    video_max_bytes: int
    gif_max_bytes: int | None = None  # when a GIF has its own ceiling
    #: The longest side an image may have, in pixels (None: no documented limit).
    image_max_side: int | None = None


_ALL_IMAGES: Final = frozenset({JPEG, PNG, GIF, WEBP})
_VIDEOS: Final = frozenset({MP4, MOV})

# X: media upload docs (4 photos, 1 GIF or 1 video). Facebook: 10 photos of 10 MB, or one
# video up to 10 GB. LINE: image message (JPEG/PNG, 10 MB, HTTPS URL of 2,000 characters);
# images only — the text bubble plus images stay within LINE_MAX_BUBBLES. YouTube: 256 GB.
# X also takes images of at most 8192 pixels a side.
# Images and videos never share a post here.
LIMITS: Final[Mapping[str, MediaLimits]] = MappingProxyType(
    {
        "x": MediaLimits("X", _ALL_IMAGES, _VIDEOS, 4, 1, 5 * MB, 512 * MB, 15 * MB, 8192),
        "facebook": MediaLimits("Facebook", _ALL_IMAGES, _VIDEOS, 10, 1, 10 * MB, 10 * GB),
        "line": MediaLimits("LINE", frozenset({JPEG, PNG}), frozenset(), 4, 0, 10 * MB, 0),
        "youtube": MediaLimits("YouTube", frozenset(), _VIDEOS, 0, 1, 0, 256 * GB),
    }
)
LINE_URL_MAX_LENGTH: Final = 2000
_LINE_URL_SUFFIXES: Final = (".jpg", ".jpeg", ".png")


def _size_label(size: int) -> str:
    """ "5 MB", or rounded up to 0.1 so that a file just over a limit reads as over it."""
    unit, unit_name = (GB, "GB") if size >= GB else (MB, "MB")
    return f"{math.ceil(size * 10 / unit) / 10:g} {unit_name}"


def _file_problems(limits: MediaLimits, info: MediaInfo) -> list[str]:
    name = info.path.name
    if info.is_image and info.mime not in limits.image_types:
        return [f"{limits.name_ja} には {info.format_name} 画像「{name}」を送れません。"]
    if info.is_video and info.mime not in limits.video_types:
        return [f"{limits.name_ja} には動画「{name}」を送れません。"]
    ceiling = limits.video_max_bytes if info.is_video else limits.image_max_bytes
    if info.mime == GIF and limits.gif_max_bytes is not None:
        ceiling = limits.gif_max_bytes
    if info.size > ceiling:
        return [
            f"「{name}」は {_size_label(info.size)} で、{limits.name_ja} の上限 "
            f"{_size_label(ceiling)} を超えています。"
        ]
    side = limits.image_max_side
    if info.is_image and side is not None and max(info.width or 0, info.height or 0) > side:
        return [
            f"「{name}」は {info.width}×{info.height} ピクセルで、{limits.name_ja} の上限"
            f"（長い辺 {side:,} ピクセル）を超えています。"
        ]
    return []


def downscale_fit(platforms: Sequence[str], info: MediaInfo) -> tuple[int, int | None] | None:
    """(bytes, longest side) a smaller copy of ``info`` must meet to pass every platform in
    ``platforms`` that takes its type, or None when it already passes or cannot be helped
    (a video, an animated GIF, a type the platform refuses)."""
    if not info.is_image or info.mime == GIF:
        return None
    takers = [LIMITS[p] for p in platforms if p in LIMITS and info.mime in LIMITS[p].image_types]
    if not takers or not any(_file_problems(limits, info) for limits in takers):
        return None
    max_bytes = min(limits.image_max_bytes for limits in takers)
    sides = [limits.image_max_side for limits in takers if limits.image_max_side is not None]
    return max_bytes, (min(sides) if sides else None)


def _count_problems(platform: str, limits: MediaLimits, files: Sequence[MediaInfo]) -> list[str]:
    images = [info for info in files if info.is_image]
    videos = [info for info in files if info.is_video]
    problems: list[str] = []
    if platform == "youtube" and len(videos) != 1:
        problems.append(f"YouTube には動画がちょうど 1 本必要です（いまは {len(videos)} 本）。")
    elif len(videos) > limits.max_videos:
        problems.append(f"{limits.name_ja} に添付できる動画は {limits.max_videos} 本までです。")
    if limits.max_images and len(images) > limits.max_images:
        problems.append(f"{limits.name_ja} に添付できる画像は {limits.max_images} 枚までです。")
    if images and videos and limits.max_images:
        problems.append(f"{limits.name_ja} では画像と動画を同じ投稿に添付できません。")
    if platform == "x" and any(info.mime == GIF for info in images) and len(images) > 1:
        problems.append("X では GIF は 1 投稿に 1 つだけで、ほかの画像と一緒に添付できません。")
    return problems


def _line_url_problems(image_urls: Sequence[str]) -> list[str]:
    problems: list[str] = []
    for url in image_urls:
        parts = urlsplit(url.strip())
        if parts.scheme != "https" or not parts.netloc or any(ch.isspace() for ch in url.strip()):
            problems.append(
                f"LINE の画像 URL は公開された https:// の URL にしてください（{url}）。"
            )
        elif len(url) > LINE_URL_MAX_LENGTH:
            problems.append(f"LINE の画像 URL が {LINE_URL_MAX_LENGTH:,} 文字を超えています。")
        elif "." in parts.path.rsplit("/", 1)[-1] and not parts.path.lower().endswith(
            _LINE_URL_SUFFIXES
        ):
            problems.append(f"LINE の画像は JPEG か PNG にしてください（{url}）。")
    return problems


def _line_problems(files: Sequence[MediaInfo], image_urls: Sequence[str]) -> list[str]:
    """LINE fetches images itself, so they go by URL; local files are the originals."""
    problems = _line_url_problems(image_urls)
    bubbles = 1 + len(image_urls)  # the text is one bubble
    if bubbles > LINE_MAX_BUBBLES:
        problems.append(
            f"LINE の配信は本文と画像を合わせて {LINE_MAX_BUBBLES} 吹き出しまでです"
            f"（画像 {LINE_MAX_BUBBLES - 1} 枚まで、いまは {len(image_urls)} 枚）。"
        )
    images = [info for info in files if info.is_image]
    if images and not image_urls:
        problems.append("LINE の画像はファイルではなく公開 HTTPS URL で指定してください。")
    elif images and len(images) != len(image_urls):
        problems.append(
            f"LINE の画像ファイル {len(images)} 件と画像 URL {len(image_urls)} 件の数が合いません。"
        )
    return problems


def check_media(
    platform: str, files: Sequence[MediaInfo], image_urls: Sequence[str] = ()
) -> tuple[str, ...]:
    """Problems (Japanese, empty when fine) with this platform's attachments.

    ``image_urls`` are the public HTTPS URLs LINE fetches images from; other platforms
    upload ``files`` directly and ignore them.
    """
    try:
        limits = LIMITS[platform]
    except KeyError:
        raise ValueError(f"unknown platform: {platform!r}") from None
    problems: list[str] = []
    if platform == "line":
        problems += _line_problems(files, image_urls)
    else:
        problems += _count_problems(platform, limits, files)
    for info in files:
        problems += _file_problems(limits, info)
    return tuple(problems)
