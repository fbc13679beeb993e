"""Media files: checked, then copied into the managed media folder addressed by SHA-256, so
the original may be moved or deleted after it is queued. An image is stored as decoded and
cleaned (no GPS, no serial numbers: services/images.py), and that copy is what is hashed,
signed and uploaded.

A media row's ``stored_name`` is never joined to a path as it is: the file read is always
``<media folder>/<first two hex digits>/<sha256>.<ext>``, built from the row's hash and MIME
type, and the row must name exactly that (see :func:`stored_path`).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path

from kodaira_desktop.domain.media_rules import MediaError, MediaInfo
from kodaira_desktop.domain.records import MediaRecord
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.services.media_inspect import inspect_media

_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
}


#: (path, size, mtime) -> inspection; the composer re-checks on every pause in typing and
#: hashing a large video (or decoding a photo) each time would stall it. An image's entry holds
#: its cleaned bytes, so only the most recent files are kept.
_inspected: dict[tuple[str, int, int], MediaInfo] = {}
_INSPECTED_KEPT = 32


def inspect(path: Path) -> MediaInfo:
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _inspected:
        return _inspected[key]
    try:
        info = inspect_media(path)
    except MediaError as error:
        raise ServiceError(str(error), invalid=True) from error
    if key is not None:
        _inspected[key] = info
        while len(_inspected) > _INSPECTED_KEPT:
            del _inspected[next(iter(_inspected))]
    return info


_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_HASH_CHUNK = 1024 * 1024


class UnsafeMediaError(ServiceError):
    """A media row or file that must not be read or sent; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message, invalid=True)


def canonical_name(sha256: str, mime: str) -> str:
    """``<aa>/<sha256>.<ext>``: the only name a media file is ever stored or read under."""
    if not _SHA256_HEX.fullmatch(sha256):
        raise UnsafeMediaError(f"添付ファイルのハッシュ値が不正です（{sha256[:80]!r}）。")
    extension = _EXTENSIONS.get(mime)
    if extension is None:
        raise UnsafeMediaError(f"添付ファイルの種類が不正です（{mime[:80]!r}）。")
    return f"{sha256[:2]}/{sha256}{extension}"


def stored_path(ctx: AppContext, record: MediaRecord) -> Path:
    """Where ``record``'s file is, refusing any row whose name is not the canonical one and any
    symbolic link or path that would lead outside the media folder."""
    name = canonical_name(record.sha256, record.mime)
    if record.stored_name != name:
        raise UnsafeMediaError(
            f"添付ファイルの保存名「{record.stored_name[:120]}」が想定（{name}）と違うため、"
            "読み込みません。"
        )
    root = ctx.paths.media_dir
    folder = root / name.split("/")[0]
    path = root / name
    for part in (folder, path):
        if part.is_symlink():
            raise UnsafeMediaError(
                f"添付ファイル「{part.name}」がシンボリックリンクのため、読み込みません。"
            )
    try:
        inside = path.resolve(strict=False).is_relative_to(root.resolve(strict=False))
    except OSError:
        inside = False
    if not inside:
        raise UnsafeMediaError(f"添付ファイル「{path.name}」がメディアフォルダーの外にあります。")
    return path


def verify_stored_file(path: Path, sha256: str, size: int) -> None:
    """Re-hash the file (opened without following links, a regular file only) and compare it
    with ``sha256`` and ``size``; :class:`UnsafeMediaError` when it changed."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise UnsafeMediaError(
            f"添付ファイル「{path.name}」を読み込めません（{error.strerror or error}）。"
        ) from None
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeMediaError(f"添付ファイル「{path.name}」が通常のファイルではありません。")
        if info.st_size != size:
            raise _changed(path)
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise _changed(path)


def _changed(path: Path) -> UnsafeMediaError:
    return UnsafeMediaError(
        f"添付ファイル「{path.name}」の中身が予約（承認）したときと違うため、送信しません。"
    )


def _intact(target: Path, info: MediaInfo) -> bool:
    """The stored copy exists and still holds these bytes (else it is written again)."""
    try:
        verify_stored_file(target, info.sha256, info.size)
    except UnsafeMediaError:
        return False
    return True


def import_media(ctx: AppContext, info: MediaInfo) -> MediaRecord:
    """Copy the file into the media folder (atomically) and record it."""
    stored_name = canonical_name(info.sha256, info.mime)
    target = ctx.paths.media_dir / stored_name
    if not _intact(target, info):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                if info.data is not None:  # an image: the decoded, cleaned bytes
                    digest.update(info.data)
                    out.write(info.data)
                else:
                    with info.path.open("rb") as source:
                        while chunk := source.read(_HASH_CHUNK):
                            digest.update(chunk)
                            out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != info.sha256:
                raise ServiceError(
                    f"ファイル「{info.path.name}」が確認の後に変更されました。添付し直してください。",
                    invalid=True,
                )
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    return ctx.store.add_media(
        sha256=info.sha256,
        mime=info.mime,
        size=info.size,
        original_name=info.path.name,
        stored_name=stored_name,
        width=info.width,
        height=info.height,
    )
