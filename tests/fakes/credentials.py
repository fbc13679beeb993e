"""Canned credentials the fakes accept, keyed by the seeded channel keys.

They look like the real thing but are made up; tests also use them to prove that no secret
value ever appears in an error message.
"""

from __future__ import annotations

X_API_KEY = "xvz1evFS4wEEPTGEFPHBog-fake"
X_API_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw-fake-secret"

X_CITY = {
    "api_key": X_API_KEY,
    "api_secret": X_API_SECRET,
    "access_token": "1111111111-CityAccessTokenFakeValue000000000000",
    "access_token_secret": "CityAccessTokenSecretFakeValue0000000000000",
}
X_MAYOR = {
    "api_key": X_API_KEY,
    "api_secret": X_API_SECRET,
    "access_token": "2222222222-MayorAccessTokenFakeValue00000000000",
    "access_token_secret": "MayorAccessTokenSecretFakeValue000000000000",
}
LINE = {"channel_access_token": "LineChannelAccessTokenFakeValue+/abc123456789="}
FACEBOOK = {
    "page_id": "104200000000001",
    "page_access_token": "EAAFakePageAccessTokenValue0000000000000000ZZZ",
}
YOUTUBE = {
    "client_id": "123456789012-fakeclient.apps.googleusercontent.com",
    "client_secret": "GOCSPX-FakeClientSecretValue00000",
    "refresh_token": "1//0FakeRefreshTokenValue-0000000000000000000000",
}

BY_CHANNEL: dict[str, dict[str, str]] = {
    "x-city": X_CITY,
    "x-mayor": X_MAYOR,
    "line": LINE,
    "facebook": FACEBOOK,
    "youtube": YOUTUBE,
}
BY_PLATFORM: dict[str, dict[str, str]] = {
    "x": X_CITY,
    "line": LINE,
    "facebook": FACEBOOK,
    "youtube": YOUTUBE,
}


def all_secret_values() -> set[str]:
    """Every secret value above (not the non-secret ids), for "never leaked" assertions."""
    secrets = {
        X_API_SECRET,
        *(c[k] for c in (X_CITY, X_MAYOR) for k in ("access_token", "access_token_secret")),
        LINE["channel_access_token"],
        FACEBOOK["page_access_token"],
        YOUTUBE["client_secret"],
        YOUTUBE["refresh_token"],
    }
    return secrets
