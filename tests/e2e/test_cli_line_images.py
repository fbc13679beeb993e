"""LINE images go by public URL: never dropped silently, sent as image messages."""

from __future__ import annotations

from tests.e2e.harness import Cli
from tests.fakes import FakeServices
from tests.samples import _png_chunk, png_bytes

URL = "https://www.city.kodaira.tokyo.jp/img/festival.png"


def test_an_image_url_without_its_file_is_refused_with_the_reason(cli: Cli) -> None:
    cli.setup_office()
    refused = cli.run(
        "queue", "add", "--channel", "line", "--text", "写真", "--image-url", URL, expect=2
    )
    assert "画像 URL 1 件に対して画像ファイルが 0 件" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 2  # the LINE quota line, then the refusal
    assert cli.entries() == []


def test_an_image_url_with_its_file_is_broadcast_as_an_image_message(
    cli: Cli, services: FakeServices
) -> None:
    cli.setup_office()
    cli.set_credentials("line", services.credentials["line"])
    photo = cli.home / "festival.png"
    small = png_bytes(40, 30)
    comment = _png_chunk(b"tEXt", b"Comment\x00" + b"a" * 1_200_000)
    photo.write_bytes(small[:-12] + comment + small[-12:])  # a valid PNG of 1.1 MB
    added = cli.run(
        "queue",
        "add",
        "--channel",
        "line",
        "--text",
        "市民まつり",
        "--media",
        str(photo),
        "--image-url",
        URL,
    )
    assert "note: LINE のプレビュー画像は 1 MB までです。festival.png（1.1 MB）" in added.stderr
    cli.run("dispatch", "--once")
    [broadcast] = services.line.broadcasts
    assert broadcast.messages == [
        {"type": "text", "text": "市民まつり"},
        {"type": "image", "originalContentUrl": URL, "previewImageUrl": URL},
    ]
