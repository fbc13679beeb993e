"""Small, valid (and deliberately broken) media files built in memory for tests."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_bytes(width: int = 640, height: int = 480, exif: bytes = b"") -> bytes:
    """A real JPEG (Pillow), a gradient so that it compresses like a photo."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


GIF_1X1 = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _webp(width: int, height: int, mode: str, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "teal").save(out, "WEBP", **options)
    return out.getvalue()


def webp_lossless(width: int, height: int) -> bytes:
    return _webp(width, height, "RGB", lossless=True)


def webp_lossy(width: int, height: int) -> bytes:
    return _webp(width, height, "RGB", quality=80)


def webp_extended(width: int, height: int) -> bytes:
    """With transparency, so Pillow writes the extended (VP8X) layout."""
    return _webp(width, height, "RGBA", quality=80)


def photo_exif(orientation: int = 1) -> bytes:
    """EXIF as a phone writes it: a place (GPS), the camera's and the lens's serial numbers,
    the owner's name, and the orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KodairaCam"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 43.0, 43.21)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (139.0, 28.0, 37.65)
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.BodySerialNumber] = "BODY-SN-4711"
    sub[ExifTags.Base.LensSerialNumber] = "LENS-SN-0815"
    sub[ExifTags.Base.CameraOwnerName] = "Kodaira Taro"
    sub[ExifTags.Base.DateTimeOriginal] = "2026:11:03 10:00:00"
    return exif.tobytes()


#: Strings of photo_exif() that must never leave the PC.
SECRET_EXIF_STRINGS = (b"BODY-SN-4711", b"LENS-SN-0815", b"Kodaira Taro")


def mp4_box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(brand: bytes = b"isom", payload_size: int = 64) -> bytes:
    """A structurally valid MP4/MOV: ftyp, moov and an mdat of ``payload_size`` bytes."""
    ftyp = mp4_box(b"ftyp", brand + b"\x00\x00\x02\x00" + brand)
    mdat = mp4_box(b"mdat", bytes(i % 251 for i in range(payload_size)))
    return ftyp + mp4_box(b"moov", mp4_box(b"mvhd", b"\x00" * 100)) + mdat
