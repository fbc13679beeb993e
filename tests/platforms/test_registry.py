from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from kodaira_desktop.platforms.base import CredentialsError, Publisher, PublishError
from kodaira_desktop.platforms.endpoints import ServiceEndpoints
from kodaira_desktop.platforms.registry import REQUIRED_FIELDS, make_publisher
from tests.fakes import FakeServices
from tests.fakes.credentials import all_secret_values
from tests.platforms.conftest import CLIENT_TIMEOUT, media_file, request

MakePublisher = Callable[..., Publisher]


def test_required_fields_match_the_contract() -> None:
    assert REQUIRED_FIELDS == {
        "x": ("api_key", "api_secret", "access_token", "access_token_secret"),
        "line": ("channel_access_token",),
        "facebook": ("page_id", "page_access_token"),
        "youtube": ("client_id", "client_secret", "refresh_token"),
    }


@pytest.mark.parametrize(
    ("platform", "idempotent"),
    [("x", False), ("line", True), ("facebook", False), ("youtube", False)],
)
def test_makes_each_platform(services: FakeServices, platform: str, idempotent: bool) -> None:
    made = make_publisher(platform, services.credentials_for(platform), services.endpoints)
    try:
        assert made.idempotent is idempotent
        assert made.check_credentials()
    finally:
        made.close()


@pytest.mark.parametrize("platform", sorted(REQUIRED_FIELDS))
def test_missing_field_is_named_but_no_value_is_shown(
    services: FakeServices, platform: str
) -> None:
    for field in REQUIRED_FIELDS[platform]:
        credentials = services.credentials_for(platform)
        credentials[field] = "  "
        with pytest.raises(CredentialsError) as caught:
            make_publisher(platform, credentials, ServiceEndpoints())
        assert field in str(caught.value)
        for value in credentials.values():
            if value.strip():
                assert value not in str(caught.value)
        del credentials[field]
        with pytest.raises(CredentialsError, match=field):
            make_publisher(platform, credentials, ServiceEndpoints())


def test_unknown_platform() -> None:
    with pytest.raises(CredentialsError, match="instagram"):
        make_publisher("instagram", {}, ServiceEndpoints())


def _failures(services: FakeServices, tmp_path: Path) -> list[tuple[str, dict[str, str], object]]:
    """One failing call per platform, with a secret-bearing service answer where possible."""

    def echo(platform: str) -> str:
        # A service (or a proxy) that echoes the caller's credentials back in its error.
        return " ".join(services.credentials_for(platform).values())

    services.x.fail_next(r"/2/tweets$", 400, {"title": "Bad", "detail": echo("x")})
    services.line.fail_next(r"/broadcast$", 400, {"message": echo("line")})
    fb_error = {"error": {"code": 100, "message": echo("facebook")}}
    services.facebook.fail_next(r"/feed$", 400, fb_error)
    yt_error = {"error": {"code": 400, "message": echo("youtube")}}
    services.youtube.fail_next(r"^/upload/", 400, yt_error)
    video = media_file(tmp_path / "v.mp4", b"\0" * 1000, "video/mp4")
    return [
        ("x", services.credentials_for("x"), request()),
        ("line", services.credentials_for("line"), request()),
        ("facebook", services.credentials_for("facebook"), request()),
        ("youtube", services.credentials_for("youtube"), request(title="t", media=(video,))),
    ]


def test_secrets_never_appear_in_errors_or_reprs(services: FakeServices, tmp_path: Path) -> None:
    secrets = all_secret_values()
    for platform, credentials, entry in _failures(services, tmp_path):
        made = make_publisher(platform, credentials, services.endpoints, timeout=CLIENT_TIMEOUT)
        try:
            with pytest.raises(PublishError) as caught:
                made.publish(entry)  # type: ignore[arg-type]
            texts = [str(caught.value), caught.value.message_ja, repr(caught.value), repr(made)]
            for secret in secrets:
                assert all(secret not in text for text in texts), platform
        finally:
            made.close()


@pytest.mark.parametrize("platform", sorted(REQUIRED_FIELDS))
def test_wrong_credentials_do_not_leak(services: FakeServices, platform: str) -> None:
    credentials = {field: f"wrong-{field}-{uuid.uuid4()}" for field in REQUIRED_FIELDS[platform]}
    if platform == "facebook":
        credentials["page_id"] = services.facebook.page_id
    made = make_publisher(platform, credentials, services.endpoints, timeout=CLIENT_TIMEOUT)
    try:
        with pytest.raises(PublishError) as caught:
            made.check_credentials()
    finally:
        made.close()
    assert caught.value.code == "auth"
    for field, value in credentials.items():
        if field != "page_id":
            assert value not in str(caught.value)


def test_platforms_import_no_qt_and_no_database_code() -> None:
    import subprocess
    import sys

    code = (
        "import sys, kodaira_desktop.platforms.registry;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
