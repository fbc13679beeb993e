"""What a media file really is (by its bytes, not its name), and what each platform accepts.

`inspect_media` sniffs JPEG/PNG/GIF/WebP/MP4/MOV from magic bytes, checks that the file
is whole, and reads image dimensions where that is cheap. `check_media` applies one
platform's documented limits and returns Japanese sentences for the person posting.
"""

from __future__ import annotations

import hashlib
import math
import os
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, Final
from urllib.parse import urlsplit

from kodaira_desktop.domain.input_files import InputFileError, open_regular
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


class _CorruptFileError(Exception):
    """Internal: the header promises a format the rest of the file does not deliver."""


def _read_exact(stream: BinaryIO, count: int) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise _CorruptFileError
    return data


def _tail(stream: BinaryIO, size: int, count: int) -> bytes:
    stream.seek(max(0, size - count))
    return stream.read(count)


def _png_dimensions(stream: BinaryIO, size: int) -> tuple[int, int]:
    stream.seek(8)
    length, chunk_type, width, height = struct.unpack(">I4sII", _read_exact(stream, 16))
    if chunk_type != b"IHDR" or length != 13 or width == 0 or height == 0:
        raise _CorruptFileError
    if _tail(stream, size, 12) != b"\x00\x00\x00\x00IEND\xaeB`\x82":
        raise _CorruptFileError  # cut short: the closing IEND chunk is missing
    return width, height


def _gif_dimensions(stream: BinaryIO, size: int) -> tuple[int, int]:
    stream.seek(6)
    width, height = struct.unpack("<HH", _read_exact(stream, 4))
    if width == 0 or height == 0 or _tail(stream, size, 1) != b"\x3b":
        raise _CorruptFileError  # every complete GIF ends with the 0x3B trailer
    return width, height


# SOF markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
_JPEG_SOF_MARKERS: Final = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE_MARKERS: Final = frozenset(range(0xD0, 0xD8)) | {0x01}


def _jpeg_dimensions(stream: BinaryIO, size: int) -> tuple[int, int]:
    # Cameras may pad after EOI, so look for it near the end rather than at the last byte.
    if b"\xff\xd9" not in _tail(stream, size, 4096):
        raise _CorruptFileError
    stream.seek(2)
    while True:
        marker_start = _read_exact(stream, 2)
        while marker_start[1] == 0xFF:  # fill bytes before a marker
            marker_start = marker_start[1:] + _read_exact(stream, 1)
        if marker_start[0] != 0xFF:
            raise _CorruptFileError
        marker = marker_start[1]
        if marker in _JPEG_STANDALONE_MARKERS:
            continue
        if marker in (0xD9, 0xDA):  # EOI or start of scan before any frame header
            raise _CorruptFileError
        (length,) = struct.unpack(">H", _read_exact(stream, 2))
        if length < 2:
            raise _CorruptFileError
        if marker in _JPEG_SOF_MARKERS:
            _precision, height, width = struct.unpack(">BHH", _read_exact(stream, 5))
            if width == 0 or height == 0:
                raise _CorruptFileError
            return width, height
        stream.seek(length - 2, 1)


def _webp_dimensions(stream: BinaryIO, size: int) -> tuple[int, int]:
    stream.seek(4)
    (riff_size,) = struct.unpack("<I", _read_exact(stream, 4))
    if riff_size + 8 != size:
        raise _CorruptFileError  # truncated, or trailing bytes the RIFF header does not admit
    stream.seek(12)
    chunk = _read_exact(stream, 8)
    kind = chunk[:4]
    payload = _read_exact(stream, 10)
    if kind == b"VP8X":
        width = 1 + int.from_bytes(payload[4:7], "little")
        height = 1 + int.from_bytes(payload[7:10], "little")
    elif kind == b"VP8L" and payload[0] == 0x2F:
        bits = int.from_bytes(payload[1:5], "little")
        width = 1 + (bits & 0x3FFF)
        height = 1 + ((bits >> 14) & 0x3FFF)
    elif kind == b"VP8 " and payload[3:6] == b"\x9d\x01\x2a":
        width_bits, height_bits = struct.unpack("<HH", payload[6:10])
        width, height = width_bits & 0x3FFF, height_bits & 0x3FFF
    else:
        raise _CorruptFileError
    return width, height


_QUICKTIME_FIRST_BOXES: Final = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip"})


def _check_iso_boxes(stream: BinaryIO, size: int) -> None:
    """Walk the top-level boxes: each must fit in the file, and a moov box must exist."""
    position = 0
    seen_moov = False
    while position < size:
        stream.seek(position)
        box_size, box_type = struct.unpack(">I4s", _read_exact(stream, 8))
        if box_size == 1:
            (box_size,) = struct.unpack(">Q", _read_exact(stream, 8))
        elif box_size == 0:
            box_size = size - position
        if box_size < 8 or position + box_size > size:
            raise _CorruptFileError
        seen_moov = seen_moov or box_type == b"moov"
        position += box_size
    if not seen_moov:
        raise _CorruptFileError


def _sniff(head: bytes) -> str | None:
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


_DIMENSION_READERS: Final = {
    PNG: _png_dimensions,
    GIF: _gif_dimensions,
    JPEG: _jpeg_dimensions,
    WEBP: _webp_dimensions,
}


def _sha256(stream: BinaryIO) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(_HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _unsupported_message(path: Path) -> str:
    wanted = "JPEG・PNG・GIF・WebP の画像か、MP4・MOV の動画を選んでください。"
    if path.suffix.lower() in _MEDIA_SUFFIXES:
        return (
            f"ファイル「{path.name}」は拡張子が「{path.suffix}」ですが、"
            f"中身が対応している画像・動画ではありません。{wanted}"
        )
    return f"ファイル「{path.name}」は対応していない形式です。{wanted}"


def _input_file_message(path: Path, error: InputFileError) -> str:
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


def _size_text(path: Path) -> str:
    try:
        return f"{path.stat().st_size / GB:.1f} GB"
    except OSError:
        return "?"


def inspect_media(path: Path) -> MediaInfo:
    """Identify and verify one media file, or raise `MediaError` saying what is wrong."""
    try:
        with open_regular(path, limit=MAX_MEDIA_BYTES, what="media file") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size == 0:
                raise MediaError(f"ファイル「{path.name}」は空です（0 バイト）。")
            mime = _sniff(stream.read(16))
            if mime is None:
                raise MediaError(_unsupported_message(path))
            width = height = None
            try:
                if mime in _DIMENSION_READERS:
                    width, height = _DIMENSION_READERS[mime](stream, size)
                else:
                    _check_iso_boxes(stream, size)
            except (_CorruptFileError, struct.error):
                raise MediaError(
                    f"ファイル「{path.name}」は {_FORMAT_NAMES[mime]} として壊れているか、"
                    "途中で切れています。元のファイルを保存し直してください。"
                ) from None
            return MediaInfo(path, mime, size, _sha256(stream), width, height)
    except InputFileError as error:
        raise MediaError(_input_file_message(path, error)) from None
    except FileNotFoundError:
        raise MediaError(f"ファイル「{path.name}」が見つかりません（{path}）。") from None
    except IsADirectoryError:
        raise MediaError(f"「{path.name}」はフォルダーです。ファイルを選んでください。") from None
    except PermissionError:
        raise MediaError(
            f"ファイル「{path.name}」を読み込めません。アクセス権を確認してください。"
        ) from None
    except OSError as error:
        raise MediaError(
            f"ファイル「{path.name}」を読み込めません（{error.strerror or error}）。"
        ) from None


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


_ALL_IMAGES: Final = frozenset({JPEG, PNG, GIF, WEBP})
_VIDEOS: Final = frozenset({MP4, MOV})

# X: media upload docs (4 photos, 1 GIF or 1 video). Facebook: 10 photos of 10 MB, or one
# video up to 10 GB. LINE: image message (JPEG/PNG, 10 MB, HTTPS URL of 2,000 characters);
# images only — the text bubble plus images stay within LINE_MAX_BUBBLES. YouTube: 256 GB.
# Images and videos never share a post here.
LIMITS: Final[Mapping[str, MediaLimits]] = MappingProxyType(
    {
        "x": MediaLimits("X", _ALL_IMAGES, _VIDEOS, 4, 1, 5 * MB, 512 * MB, 15 * MB),
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
    return []


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
