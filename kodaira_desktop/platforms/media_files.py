"""Reading attached files for upload, with a clear message when one is gone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kodaira_desktop.platforms.base import ErrorKind, MediaFile, PublishError
from kodaira_desktop.platforms.transport import CODE_MEDIA


def missing_file_error(service: str, path: Path) -> PublishError:
    return PublishError(
        ErrorKind.PERMANENT,
        f"{service}に添付するファイル「{path.name}」が見つからないか読み込めません。"
        "ファイルを添付し直してください。",
        code=CODE_MEDIA,
    )


def file_size(service: str, media: MediaFile) -> int:
    """The file's current size; PERMANENT error when it is missing or unreadable."""
    try:
        if not media.path.is_file():
            raise missing_file_error(service, media.path)
        return media.path.stat().st_size
    except OSError as exc:
        raise missing_file_error(service, media.path) from exc


def read_bytes(service: str, media: MediaFile) -> bytes:
    try:
        return media.path.read_bytes()
    except OSError as exc:
        raise missing_file_error(service, media.path) from exc


def read_chunks(
    service: str, media: MediaFile, *, start: int, chunk_size: int
) -> Iterator[tuple[int, bytes]]:
    """Yield ``(offset, data)`` from ``start`` to the end of the file."""
    try:
        with media.path.open("rb") as handle:
            handle.seek(start)
            offset = start
            while data := handle.read(chunk_size):
                yield offset, data
                offset += len(data)
    except OSError as exc:
        raise missing_file_error(service, media.path) from exc


def is_video(media: MediaFile) -> bool:
    return media.mime.lower().startswith("video/")


def is_image(media: MediaFile) -> bool:
    return media.mime.lower().startswith("image/")
