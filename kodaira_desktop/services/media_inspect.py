"""One media file read from disk into a :class:`MediaInfo`: an image decoded, verified and
cleaned through Pillow (services/images.py), so its size and SHA-256 are those of the bytes
that will be stored, signed and uploaded; a video's boxes walked and the file hashed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Final

from kodaira_desktop.domain.input_files import InputFileError, open_regular
from kodaira_desktop.domain.media_rules import (
    MAX_MEDIA_BYTES,
    MB,
    CorruptFileError,
    MediaError,
    MediaInfo,
    check_iso_boxes,
    corrupt_message,
    input_file_message,
    os_error_message,
    sha256_of,
    sniff,
    unsupported_message,
)

#: No platform takes an image over 15 MB (X's GIF): one over this is refused without decoding.
IMAGE_READ_LIMIT: Final = 64 * MB


def inspect_media(path: Path) -> MediaInfo:
    """Identify and verify one media file, or raise `MediaError` saying what is wrong."""
    try:
        with open_regular(path, limit=MAX_MEDIA_BYTES, what="media file") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size == 0:
                raise MediaError(f"ファイル「{path.name}」は空です（0 バイト）。")
            mime = sniff(stream.read(16))
            if mime is None:
                raise MediaError(unsupported_message(path))
            if mime.startswith("image/"):
                if size > IMAGE_READ_LIMIT:
                    raise MediaError(
                        f"画像「{path.name}」は {size / MB:.0f} MB で、どの媒体にも送れる大きさ"
                        f"（{IMAGE_READ_LIMIT // MB} MB）を超えています。"
                    )
                stream.seek(0)
                return _image_info(path, mime, stream.read())
            try:
                check_iso_boxes(stream, size)
            except CorruptFileError:
                raise MediaError(corrupt_message(path, mime)) from None
            return MediaInfo(path, mime, size, sha256_of(stream))
    except InputFileError as error:
        raise MediaError(input_file_message(path, error)) from None
    except OSError as error:
        raise MediaError(os_error_message(path, error)) from None


def _image_info(path: Path, mime: str, data: bytes) -> MediaInfo:
    from kodaira_desktop.services import images  # Pillow: loaded with the first image

    try:
        decoded = images.decode(data)
    except images.ImageDecodeError:
        raise MediaError(corrupt_message(path, mime)) from None
    if decoded.mime != mime:  # e.g. PNG bytes behind a JPEG signature
        raise MediaError(corrupt_message(path, mime))
    return MediaInfo(
        path,
        mime,
        len(decoded.data),
        hashlib.sha256(decoded.data).hexdigest(),
        decoded.width,
        decoded.height,
        data=decoded.data,
        thumbnail=decoded.thumbnail,
        removed=decoded.removed,
    )
