"""代替テキスト on X: sent as media metadata after the upload, before the post."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.fakes import FakeServices
from tests.platforms.conftest import media_file, request
from tests.platforms.test_x import MakePublisher

METADATA = r"/2/media/metadata$"


def test_each_image_alt_text_is_sent_as_media_metadata(
    services: FakeServices, publisher: MakePublisher, tmp_path: Path
) -> None:
    described = dataclasses.replace(
        media_file(tmp_path / "a.jpg", b"\xff\xd8jpeg-a" * 10, "image/jpeg"),
        alt_text="小平駅北口の市民まつりの様子",
    )
    plain = media_file(tmp_path / "b.png", b"\x89PNG-b" * 10, "image/png")
    publisher("x").publish(request("写真", media=(described, plain)))

    [tweet] = services.x.tweets
    uploads = [services.x.media[media_id] for media_id in tweet.media_ids]
    assert [u.alt_text for u in uploads] == ["小平駅北口の市民まつりの様子", None]
    [sent] = services.x.requests_to(METADATA)
    assert sent.json() == {
        "id": tweet.media_ids[0],
        "metadata": {"alt_text": {"text": "小平駅北口の市民まつりの様子"}},
    }
    paths = [r.path for r in services.x.requests]
    assert paths.index("/2/media/metadata") < paths.index("/2/tweets")


def test_no_metadata_request_without_alt_text(
    services: FakeServices, publisher: MakePublisher, tmp_path: Path
) -> None:
    plain = media_file(tmp_path / "b.png", b"\x89PNG-b" * 10, "image/png")
    publisher("x").publish(request("写真", media=(plain,)))
    assert services.x.requests_to(METADATA) == []
