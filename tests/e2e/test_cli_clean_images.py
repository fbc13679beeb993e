"""Images are decoded when attached and cleaned before they leave: the bytes the fake X and
Facebook servers received hold no GPS position and no serial number, and keep the photo's
orientation; the cleaned copy is also what an emergency approval signs and what the
dispatcher re-hashes. A broken image is refused by `queue add` with one sentence."""

from __future__ import annotations

import io

from PIL import ExifTags, Image

from tests.e2e.harness import CHIEF, CHIEF_PASSWORD, EVENING, Cli
from tests.fakes import FakeServices
from tests.samples import SECRET_EXIF_STRINGS, jpeg_bytes, photo_exif


def assert_clean(data: bytes, orientation: int) -> None:
    for secret in SECRET_EXIF_STRINGS:
        assert secret not in data
    image = Image.open(io.BytesIO(data))
    image.load()  # it decodes
    exif = image.getexif()
    assert ExifTags.IFD.GPSInfo not in exif
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    assert ExifTags.Base.BodySerialNumber not in sub
    assert ExifTags.Base.LensSerialNumber not in sub
    assert exif[ExifTags.Base.Orientation] == orientation  # not turned
    assert sub[ExifTags.Base.DateTimeOriginal] == "2026:11:03 10:00:00"  # the rest is kept


def write_photo(cli: Cli, name: str = "home.jpg") -> bytes:
    original = jpeg_bytes(120, 80, exif=photo_exif(orientation=6))
    assert all(secret in original for secret in SECRET_EXIF_STRINGS)
    (cli.home / name).write_bytes(original)
    return original


def test_uploaded_photos_carry_no_gps_or_serial_numbers(cli: Cli, services: FakeServices) -> None:
    cli.setup_office()
    cli.set_credentials("x-city", services.credentials["x-city"])
    cli.set_credentials("facebook", services.credentials["facebook"])
    write_photo(cli)
    cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--channel",
        "facebook",
        "--text",
        "紅葉がきれいです",
        "--media",
        str(cli.home / "home.jpg"),
        "--alt-text",
        "公園の紅葉",
    )
    cli.run("dispatch", "--once")
    assert {row["state"] for row in cli.entries()} == {"published"}
    [tweet] = services.x.tweets
    [media_id] = tweet.media_ids
    assert_clean(services.x.uploaded_bytes(media_id), orientation=6)
    [photo] = services.facebook.photos.values()
    assert_clean(photo.data, orientation=6)


def test_an_approved_emergency_photo_is_the_cleaned_one_and_publishes(
    cli: Cli, services: FakeServices
) -> None:
    cli.setup_office()
    cli.set_credentials("x-city", services.credentials["x-city"])
    write_photo(cli)
    added = cli.run(
        "queue",
        "add",
        "--channel",
        "x-city",
        "--text",
        "倒木で通行止めです。",
        "--media",
        str(cli.home / "home.jpg"),
        "--at",
        EVENING,
        "--emergency",
        "道路の通行止め",
    )
    item = int(added.stdout.strip())
    cli.run("approvals", "approve", str(item), user=CHIEF, password=CHIEF_PASSWORD)
    cli.run("dispatch", "--once", KODAIRA_FAKE_NOW=EVENING)
    # The signature covers the cleaned copy's SHA-256 and the re-hash at send time agrees.
    assert cli.entries()[0]["state"] == "published"
    [tweet] = services.x.tweets
    assert_clean(services.x.uploaded_bytes(tweet.media_ids[0]), orientation=6)


def test_a_truncated_photo_is_refused_with_one_sentence(cli: Cli) -> None:
    cli.setup_office()
    cut = cli.home / "cut.jpg"
    cut.write_bytes(jpeg_bytes(400, 300)[:2000])
    refused = cli.run(
        "queue", "add", "--channel", "x-city", "--text", "写真", "--media", str(cut), expect=2
    )
    assert "ファイル「cut.jpg」は JPEG として壊れているか、途中で切れています" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert cli.entries() == []


def test_queue_add_keeps_refusing_an_oversized_image_with_the_reason(cli: Cli) -> None:
    """The window offers a downscale; the command line changes nothing behind a script's back."""
    cli.setup_office()
    wide = cli.home / "panorama.jpg"
    out = io.BytesIO()
    Image.linear_gradient("L").resize((9000, 100)).convert("RGB").save(out, "JPEG")
    wide.write_bytes(out.getvalue())
    refused = cli.run(
        "queue", "add", "--channel", "x-city", "--text", "眺め", "--media", str(wide), expect=2
    )
    assert "「panorama.jpg」は 9000×100 ピクセルで、X の上限（長い辺 8,192 ピクセル）" in (
        refused.stderr
    )
    assert cli.entries() == []
