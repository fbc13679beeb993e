"""Build the right publisher for a channel's platform from its stored credentials."""

from __future__ import annotations

from collections.abc import Mapping

from kodaira_desktop.platforms.base import CredentialsError, Publisher
from kodaira_desktop.platforms.endpoints import ServiceEndpoints
from kodaira_desktop.platforms.facebook import FacebookPublisher
from kodaira_desktop.platforms.google_oauth import GoogleTokenSource
from kodaira_desktop.platforms.line import DEFAULT_PUBLIC_URL, LinePublisher
from kodaira_desktop.platforms.oauth1 import OAuth1Credentials
from kodaira_desktop.platforms.x import XPublisher
from kodaira_desktop.platforms.youtube import DEFAULT_CATEGORY_ID, YouTubePublisher

PLATFORMS = ("x", "line", "facebook", "youtube")

#: Platforms where trying again after an unclear failure can never make a second post: LINE
#: by its retry key, YouTube because a retry resumes the same upload session (the video only
#: exists once the session completes). X and Facebook have neither.
RETRY_SAFE_PLATFORMS = frozenset({"line", "youtube"})

REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "x": ("api_key", "api_secret", "access_token", "access_token_secret"),
    "line": ("channel_access_token",),
    "facebook": ("page_id", "page_access_token"),
    "youtube": ("client_id", "client_secret", "refresh_token"),
}

#: Non-secret settings that may be stored alongside the credentials.
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "x": ("username",),
    "line": ("public_url",),
    "facebook": (),
    "youtube": ("category_id",),
}


def validate_credentials(platform: str, credentials: Mapping[str, str]) -> dict[str, str]:
    """The required fields, stripped; CredentialsError names (never shows) what is wrong."""
    if platform not in REQUIRED_FIELDS:
        raise CredentialsError(f"未対応のプラットフォームです: {platform}")
    fields: dict[str, str] = {}
    for name in REQUIRED_FIELDS[platform]:
        value = credentials.get(name)
        if not isinstance(value, str) or not value.strip():
            raise CredentialsError(f"{platform} の認証情報に「{name}」がありません。")
        fields[name] = value.strip()
    for name in OPTIONAL_FIELDS[platform]:
        value = credentials.get(name)
        if isinstance(value, str) and value.strip():
            fields[name] = value.strip()
    return fields


def make_publisher(
    platform: str,
    credentials: Mapping[str, str],
    endpoints: ServiceEndpoints,
    *,
    timeout: float = 30.0,
) -> Publisher:
    fields = validate_credentials(platform, credentials)
    if platform == "x":
        return XPublisher(
            OAuth1Credentials(
                consumer_key=fields["api_key"],
                consumer_secret=fields["api_secret"],
                token=fields["access_token"],
                token_secret=fields["access_token_secret"],
            ),
            endpoints.x,
            timeout=timeout,
            username=fields.get("username"),
        )
    if platform == "line":
        return LinePublisher(
            fields["channel_access_token"],
            endpoints.line,
            timeout=timeout,
            public_url=fields.get("public_url", DEFAULT_PUBLIC_URL),
        )
    if platform == "facebook":
        return FacebookPublisher(
            fields["page_id"], fields["page_access_token"], endpoints.facebook, timeout=timeout
        )
    tokens = GoogleTokenSource(
        fields["client_id"],
        fields["client_secret"],
        fields["refresh_token"],
        endpoints.google_token,
        timeout=timeout,
    )
    return YouTubePublisher(
        tokens,
        endpoints.youtube,
        timeout=timeout,
        category_id=fields.get("category_id", DEFAULT_CATEGORY_ID),
    )
