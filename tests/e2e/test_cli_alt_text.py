"""`queue add --media FILE… --alt-text TEXT…` (CONTRACTS.md §4): kept with the item, sent to X."""

from __future__ import annotations

from tests.e2e.harness import Cli
from tests.fakes import FakeServices
from tests.samples import png_bytes


def test_alt_texts_reach_x_as_media_metadata(cli: Cli, services: FakeServices) -> None:
    cli.setup_office()
    cli.set_credentials("x-city", services.credentials["x-city"])
    first, second = cli.home / "a.png", cli.home / "b.png"
    first.write_bytes(png_bytes(40, 30))
    second.write_bytes(png_bytes(30, 40))
    added = cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--text",
        "市民まつり",
        "--media",
        str(first),
        str(second),
        "--alt-text",
        "会場の地図",
        "--alt-text",
        "ステージの写真",
    )
    assert "代替テキスト" not in added.stderr
    cli.run("dispatch", "--once")
    [tweet] = services.x.tweets
    assert [services.x.media[m].alt_text for m in tweet.media_ids] == [
        "会場の地図",
        "ステージの写真",
    ]


def test_missing_alt_text_warns_and_too_many_are_refused(cli: Cli) -> None:
    cli.setup_office()
    image = cli.home / "a.png"
    image.write_bytes(png_bytes(40, 30))
    warned = cli.run("queue", "add", "--channel", "x-city", "--text", "写真", "--media", str(image))
    assert "note: 代替テキストのない画像があります（a.png）" in warned.stderr
    refused = cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--text",
        "写真",
        "--media",
        str(image),
        "--alt-text",
        "一",
        "二",
        expect=2,
    )
    assert "代替テキストが 2 件ありますが、画像は 1 枚です" in refused.stderr
    assert len(cli.entries()) == 1
