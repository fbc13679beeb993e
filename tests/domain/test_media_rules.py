"""Media sniffing on small files built here, and each platform's attachment limits."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from kodaira_desktop.domain.media_rules import (
    GIF,
    JPEG,
    MB,
    MOV,
    MP4,
    PNG,
    WEBP,
    MediaError,
    MediaInfo,
    check_media,
    inspect_media,
)
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
        ("no-eoi.jpg", jpeg_bytes()[:-2], "JPEG"),
        ("no-frame.jpg", b"\xff\xd8\xff\xd9", "JPEG"),
        ("cut.gif", GIF_1X1[:-1], "GIF"),
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


# --- per-platform limits -----------------------------------------------------------------


def media(name: str, mime: str, size: int = 100_000) -> MediaInfo:
    return MediaInfo(Path(name), mime, size, "0" * 64, 10, 10)


PHOTO = media("a.jpg", JPEG)
VIDEO = media("v.mp4", MP4, 50 * MB)


def test_x_accepts_four_images_or_one_video() -> None:
    assert check_media("x", [PHOTO] * 4) == ()
    assert check_media("x", [VIDEO]) == ()
    assert check_media("x", []) == ()


def test_x_refuses_a_fifth_image_mixing_and_two_videos() -> None:
    assert any("4 枚まで" in p for p in check_media("x", [PHOTO] * 5))
    assert any("画像と動画" in p for p in check_media("x", [PHOTO, VIDEO]))
    assert any("1 本まで" in p for p in check_media("x", [VIDEO, VIDEO]))


def test_x_size_limits() -> None:
    assert check_media("x", [media("big.png", PNG, 5 * MB)]) == ()
    assert "「big.png」" in check_media("x", [media("big.png", PNG, 5 * MB + 1)])[0]
    assert check_media("x", [media("a.gif", GIF, 15 * MB)]) == ()
    assert check_media("x", [media("a.gif", GIF, 15 * MB + 1)])
    assert check_media("x", [replace(VIDEO, size=513 * MB)])


def test_x_gif_goes_alone() -> None:
    assert any("GIF" in p for p in check_media("x", [media("a.gif", GIF), PHOTO]))


def test_facebook_limits() -> None:
    assert check_media("facebook", [PHOTO] * 10) == ()
    assert any("10 枚まで" in p for p in check_media("facebook", [PHOTO] * 11))
    assert check_media("facebook", [media("a.jpg", JPEG, 10 * MB + 1)])
    assert check_media("facebook", [VIDEO]) == ()
    assert check_media("facebook", [PHOTO, VIDEO])


def test_youtube_needs_exactly_one_video() -> None:
    assert check_media("youtube", [VIDEO]) == ()
    assert any("ちょうど 1 本" in p for p in check_media("youtube", []))
    assert any("ちょうど 1 本" in p for p in check_media("youtube", [VIDEO, VIDEO]))
    problems = check_media("youtube", [VIDEO, PHOTO])
    assert any("「a.jpg」" in p for p in problems)


URL = "https://www.city.kodaira.tokyo.jp/img/event.jpg"


def test_line_images_by_https_url() -> None:
    assert check_media("line", [], image_urls=[URL]) == ()
    assert check_media("line", [], image_urls=[URL] * 4) == ()
    assert any("5 吹き出し" in p for p in check_media("line", [], image_urls=[URL] * 5))
    assert any("https://" in p for p in check_media("line", [], image_urls=["http://x.jp/a.jpg"]))
    assert any(
        "JPEG か PNG" in p for p in check_media("line", [], image_urls=["https://x.jp/a.gif"])
    )
    too_long = "https://x.jp/" + "a" * 2000 + ".png"
    assert any("2,000" in p for p in check_media("line", [], image_urls=[too_long]))


def test_line_local_files_must_match_urls_and_be_jpeg_or_png() -> None:
    assert check_media("line", [PHOTO], image_urls=[URL]) == ()
    assert any("公開 HTTPS URL" in p for p in check_media("line", [PHOTO]))
    assert any("数が合いません" in p for p in check_media("line", [PHOTO, PHOTO], image_urls=[URL]))
    assert any("WebP" in p for p in check_media("line", [media("a.webp", WEBP)], image_urls=[URL]))
    assert check_media("line", [media("a.png", PNG, 10 * MB + 1)], image_urls=[URL])
    assert any("動画" in p for p in check_media("line", [VIDEO]))


def test_unknown_platform() -> None:
    with pytest.raises(ValueError, match="tiktok"):
        check_media("tiktok", [])
