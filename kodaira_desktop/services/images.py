"""Images through Pillow: each one fully decoded and verified, cleaned of what must not leave
the city hall (EXIF GPS, camera and lens serial numbers, maker notes, XMP that names a place
or a serial), a thumbnail made from the same decode, and a downscale that fits a platform's
limits.

Cleaning keeps the Orientation tag (so a photo is not turned) and the colour profile. An image
with nothing to remove is kept byte for byte; one with something to remove is written again
(JPEG with its own quantisation tables, ``quality="keep"``), so cleaning is idempotent: a
cleaned image, checked again, comes out the same (and hashes the same for a signed approval).
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from typing import Final

from PIL import ExifTags, Image, ImageOps

#: Pillow's format name -> MIME type (MPO: the multi-picture JPEG that phones write).
_MIMES: Final = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
_SAVE_FORMATS: Final = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF"}
_SAVE_FORMATS_WEBP: Final = "WEBP"

#: EXIF tags that identify a person's camera, lens or home: removed before upload.
IDENTIFYING_TAGS: Final = frozenset(
    {
        0xA430,  # CameraOwnerName
        0xA431,  # BodySerialNumber
        0xA435,  # LensSerialNumber
        0xA420,  # ImageUniqueID
        0x927C,  # MakerNote (holds serial numbers on most cameras)
        0xC62F,  # CameraSerialNumber (DNG)
    }
)
#: XMP that mentions any of these is dropped whole (it can repeat the GPS position).
_XMP_MARKERS: Final = (b"GPS", b"SerialNumber", b"exif:GPS", b"aux:SerialNumber")

THUMBNAIL_SIZE: Final = 128
#: Pixels Pillow may decode (an image bomb is refused, not decoded): 120 megapixels.
MAX_PIXELS: Final = 120_000_000


class ImageDecodeError(Exception):
    """The bytes are not a whole image of their format (truncated, corrupt or a bomb)."""


@dataclass(frozen=True)
class DecodedImage:
    mime: str
    width: int
    height: int
    #: What is uploaded: the original bytes, or the cleaned ones.
    data: bytes
    #: Japanese names of what was removed (empty when the original is kept).
    removed: tuple[str, ...]
    #: A PNG of at most THUMBNAIL_SIZE pixels a side, turned as the photo is meant to be seen.
    thumbnail: bytes


def decode(data: bytes) -> DecodedImage:
    """Decode every frame of ``data``, then clean it; :class:`ImageDecodeError` if broken."""
    try:
        return _decode(data)
    except ImageDecodeError:
        raise
    except Exception as error:  # hostile metadata a plugin chokes on: a broken file too
        raise ImageDecodeError(f"{type(error).__name__}: {error}") from None


def _decode(data: bytes) -> DecodedImage:
    image = _open_verified(data)
    mime = _MIMES.get(image.format or "")
    if mime is None:
        raise ImageDecodeError(f"unsupported format {image.format}")
    removed = _identifying_parts(image)
    cleaned = _rewrite(image, mime) if removed else data
    if removed:
        _open_verified(cleaned)  # what is uploaded decodes too
    return DecodedImage(mime, image.width, image.height, cleaned, tuple(removed), _thumbnail(image))


#: The only decoders tried (MPO comes through the JPEG one).
_FORMATS: Final = ("JPEG", "PNG", "GIF", "WEBP")


def _open_verified(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_FORMATS) as probe:
                _check_pixels(probe)
                probe.verify()  # structure and checksums (PNG CRCs)
            image = Image.open(io.BytesIO(data), formats=_FORMATS)
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                image.load()  # every pixel: a truncated file fails here
            image.seek(0)
            return image
    except ImageDecodeError:
        raise
    except Exception as error:
        # (UnidentifiedImageError, OSError "truncated", SyntaxError, struct.error, bombs, and
        # whatever a plugin raises on hostile bytes): refused, never a traceback.
        raise ImageDecodeError(f"{type(error).__name__}: {error}") from None


def _check_pixels(image: Image.Image) -> None:
    if image.width * image.height > MAX_PIXELS:
        raise ImageDecodeError(f"{image.width}x{image.height} pixels")


def _xmp(image: Image.Image) -> bytes:
    value = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _identifying_parts(image: Image.Image) -> list[str]:
    removed: list[str] = []
    exif = image.getexif()
    if ExifTags.IFD.GPSInfo in exif:
        removed.append("位置情報（GPS）")
    tags = set(exif) | set(exif.get_ifd(ExifTags.IFD.Exif))
    if tags & IDENTIFYING_TAGS:
        removed.append("カメラ・レンズの製造番号など")
    if any(marker in _xmp(image) for marker in _XMP_MARKERS):
        removed.append("XMP の位置情報・製造番号")
    if image.format == "MPO" and getattr(image, "n_frames", 1) > 1:
        removed.append("付属画像（MPO）")
    return removed


def cleaned_exif(image: Image.Image) -> Image.Exif:
    """The image's EXIF without GPS and identifying tags (Orientation and the rest kept)."""
    exif = image.getexif()
    exif.get_ifd(ExifTags.IFD.Exif)  # loaded so that it is written back cleaned
    if ExifTags.IFD.GPSInfo in exif:
        del exif[ExifTags.IFD.GPSInfo]
    for tag in IDENTIFYING_TAGS:
        if tag in exif:
            del exif[tag]
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    for tag in IDENTIFYING_TAGS & set(sub):
        del sub[tag]
    return exif


def _save_options(image: Image.Image, mime: str) -> dict[str, object]:
    options: dict[str, object] = {"exif": cleaned_exif(image).tobytes()}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc
    if mime == "image/jpeg":
        options |= {"quality": "keep"} if image.format == "JPEG" else {"quality": 95}
    elif mime == "image/webp":
        options |= {"quality": 90, "save_all": getattr(image, "n_frames", 1) > 1}
    elif getattr(image, "n_frames", 1) > 1:
        options["save_all"] = True
    return options


def _rewrite(image: Image.Image, mime: str) -> bytes:
    out = io.BytesIO()
    image.seek(0)
    target = _SAVE_FORMATS.get(mime, _SAVE_FORMATS_WEBP)
    options = _save_options(image, mime)
    if image.format == "MPO":  # the first picture only, as a plain JPEG
        image = image.copy()
        options["quality"] = 95
    image.save(out, target, **options)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    image.seek(0)
    small = ImageOps.exif_transpose(image.copy())
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    if small.mode not in ("RGB", "RGBA"):
        small = small.convert("RGBA")
    out = io.BytesIO()
    small.save(out, "PNG")
    return out.getvalue()


# --- downscaling ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """The limits a downscaled image must meet: bytes, and pixels on the longer side."""

    max_bytes: int
    max_side: int | None


def downscale(data: bytes, fit: Fit) -> tuple[bytes, str]:
    """A smaller copy that meets ``fit``: (bytes, mime). Orientation is applied to the
    pixels (so the copy needs no tag), metadata is cleaned; a photo (JPEG, or an image
    without transparency) becomes a JPEG, one with transparency stays a PNG."""
    image = _open_verified(data)
    image.seek(0)
    upright = ImageOps.exif_transpose(image.copy())
    transparent = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    exif = cleaned_exif(image)
    exif.pop(ExifTags.Base.Orientation, None)
    side = max(upright.size)
    if fit.max_side is not None:
        side = min(side, fit.max_side)
    # A first guess from the byte ratio, then 15% smaller each try.
    side = min(side, int(max(upright.size) * math.sqrt(fit.max_bytes / max(len(data), 1)) * 1.2))
    for _attempt in range(12):
        scaled = upright.copy()
        scaled.thumbnail((max(side, 16), max(side, 16)), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if transparent:
            scaled.save(out, "PNG", optimize=True, exif=exif.tobytes())
            mime = "image/png"
        else:
            scaled.convert("RGB").save(out, "JPEG", quality=85, exif=exif.tobytes())
            mime = "image/jpeg"
        if out.tell() <= fit.max_bytes:
            return out.getvalue(), mime
        side = int(side * 0.85)
    raise ImageDecodeError("could not reach the size limit")
