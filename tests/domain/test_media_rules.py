"""Each platform's attachment limits (files are decoded and inspected in
tests/services/test_media_inspect.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kodaira_desktop.domain.media_rules import (
    GIF,
    JPEG,
    MB,
    MP4,
    PNG,
    WEBP,
    MediaInfo,
    check_media,
)

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
