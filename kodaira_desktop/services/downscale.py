"""One-click downscale (the composer's 縮小 button): an image over a chosen platform's size or
dimension limit becomes a smaller copy that meets every chosen platform, written to the
per-user ``downscaled`` folder; the composer then attaches the copy instead. The command line
keeps refusing such an image with the reason (nothing is changed behind a script's back)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kodaira_desktop.domain.media_rules import MediaInfo, downscale_fit
from kodaira_desktop.services import media
from kodaira_desktop.services.context import AppContext, ServiceError

_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True)
class Downscalable:
    """An attached image that a smaller copy would let through."""

    path: Path
    max_bytes: int
    max_side: int | None


def offers(platforms: Sequence[str], files: Sequence[MediaInfo]) -> tuple[Downscalable, ...]:
    """The attached images over a limit of ``platforms`` that a downscale would mend. LINE is
    left out: it fetches its images from their public URLs, which a local copy does not change."""
    uploading = [p for p in platforms if p != "line"]
    found = []
    for info in files:
        fit = downscale_fit(uploading, info)
        if fit is not None:
            found.append(Downscalable(info.path, *fit))
    return tuple(found)


def folder(ctx: AppContext) -> Path:
    return ctx.paths.data_dir / "downscaled"


def downscale(ctx: AppContext, offer: Downscalable) -> Path:
    """Write the smaller copy (atomically) and return its path; ServiceError when it cannot."""
    from kodaira_desktop.services import images  # Pillow: loaded when first needed

    info = media.inspect(offer.path)
    data = info.data if info.data is not None else offer.path.read_bytes()
    try:
        small, mime = images.downscale(data, images.Fit(offer.max_bytes, offer.max_side))
    except images.ImageDecodeError:
        raise ServiceError(
            f"「{offer.path.name}」を上限内に縮小できませんでした。", invalid=True
        ) from None
    target_dir = folder(ctx)
    target_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(small).hexdigest()[:8]
    target = target_dir / f"{offer.path.stem}-縮小-{digest}{_SUFFIXES[mime]}"
    fd, temp = tempfile.mkstemp(dir=target_dir, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(small)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
