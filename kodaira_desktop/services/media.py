"""Media files: checked, then copied into the managed media folder addressed by SHA-256, so
the original may be moved or deleted after it is queued."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from kodaira_desktop.domain.media_rules import MediaError, MediaInfo, inspect_media
from kodaira_desktop.domain.records import MediaRecord
from kodaira_desktop.services.context import AppContext, ServiceError

_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
}


#: (path, size, mtime) -> inspection; the composer re-checks on every pause in typing and
#: hashing a large video each time would stall it.
_inspected: dict[tuple[str, int, int], MediaInfo] = {}


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
    return info


def stored_path(ctx: AppContext, record: MediaRecord) -> Path:
    return ctx.paths.media_dir / record.stored_name


def import_media(ctx: AppContext, info: MediaInfo) -> MediaRecord:
    """Copy the file into the media folder (atomically) and record it."""
    stored_name = f"{info.sha256[:2]}/{info.sha256}{_EXTENSIONS.get(info.mime, '')}"
    target = ctx.paths.media_dir / stored_name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out, info.path.open("rb") as source:
                shutil.copyfileobj(source, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
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
