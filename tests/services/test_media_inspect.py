"""Files read, decoded through Pillow and verified: formats, corrupt and truncated files,
special files, and what the bytes say over what the name says."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from kodaira_desktop.domain.media_rules import GIF, JPEG, MOV, MP4, PNG, WEBP, MediaError
from kodaira_desktop.services.media_inspect import inspect_media
from tests.samples import (
    GIF_1X1,
    jpeg_bytes,
    mp4_box,
    mp4_bytes,
    png_bytes,
    webp_extended,
    webp_lossless,
    webp_lossy,
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "mime", "size"),
    [
        ("photo.png", png_bytes(3, 2), PNG, (3, 2)),
        ("photo.jpg", jpeg_bytes(640, 480), JPEG, (640, 480)),
        ("anim.gif", GIF_1X1, GIF, (1, 1)),
        ("lossless.webp", webp_lossless(300, 200), WEBP, (300, 200)),
        ("lossy.webp", webp_lossy(1024, 768), WEBP, (1024, 768)),
        ("extended.webp", webp_extended(4000, 3000), WEBP, (4000, 3000)),
        ("clip.mp4", mp4_bytes(), MP4, (None, None)),
        ("clip.mov", mp4_bytes(b"qt  "), MOV, (None, None)),
        ("misnamed.gif", png_bytes(5, 7), PNG, (5, 7)),  # the bytes win over the name
    ],
)
def test_inspect_valid_media(
    tmp_path: Path, name: str, data: bytes, mime: str, size: tuple[int | None, int | None]
) -> None:
    info = inspect_media(write(tmp_path, name, data))
    assert info.mime == mime
    assert (info.width, info.height) == size
    assert info.size == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()


def test_jpeg_with_padding_after_eoi_is_accepted(tmp_path: Path) -> None:
    info = inspect_media(write(tmp_path, "camera.jpg", jpeg_bytes() + b"\x00" * 100))
    assert info.mime == JPEG


@pytest.mark.parametrize(
    ("name", "data", "format_name"),
    [
        ("cut.png", png_bytes()[:40], "PNG"),
        ("header-only.png", png_bytes()[:12], "PNG"),
        ("cut.jpg", jpeg_bytes()[:3000], "JPEG"),
        ("no-frame.jpg", b"\xff\xd8\xff\xd9", "JPEG"),
        ("cut.gif", GIF_1X1[:-3], "GIF"),
        ("cut.webp", webp_lossless(10, 10)[:-3], "WebP"),
        ("cut.mp4", mp4_bytes()[:-10], "MP4"),
        ("no-moov.mp4", mp4_box(b"ftyp", b"isom\x00\x00\x00\x00") + mp4_box(b"mdat", b"x"), "MP4"),
    ],
)
def test_corrupt_or_truncated_files_are_refused(
    tmp_path: Path, name: str, data: bytes, format_name: str
) -> None:
    with pytest.raises(MediaError) as caught:
        inspect_media(write(tmp_path, name, data))
    message = str(caught.value)
    assert f"「{name}」" in message
    assert format_name in message
    assert "壊れている" in message


def test_text_renamed_as_jpg(tmp_path: Path) -> None:
    path = write(tmp_path, "お知らせ.jpg", "これは画像ではありません".encode())
    with pytest.raises(MediaError, match=re.escape("「お知らせ.jpg」は拡張子が「.jpg」ですが")):
        inspect_media(path)


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=re.escape("「memo.txt」は対応していない形式です")):
        inspect_media(write(tmp_path, "memo.txt", b"hello"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=re.escape("「nothing.png」が見つかりません")):
        inspect_media(tmp_path / "nothing.png")


def test_a_fifo_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)  # nobody writes to it: reading it would wait forever
    with pytest.raises(MediaError, match="通常のファイルではありません"):
        inspect_media(fifo)
    with pytest.raises(MediaError, match="通常のファイルではありません"):
        inspect_media(Path("/dev/zero"))


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=re.escape("「empty.png」は空です")):
        inspect_media(write(tmp_path, "empty.png", b""))


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.png", png_bytes())

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("kodaira_desktop.domain.input_files.os.open", refuse)
    with pytest.raises(MediaError, match=re.escape("「secret.png」を読み込めません。アクセス権")):
        inspect_media(path)


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "写真"
    folder.mkdir()
    with pytest.raises(MediaError, match="フォルダー"):
        inspect_media(folder)
