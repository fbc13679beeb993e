"""OAuth 1.0a signing against the examples in RFC 5849 and X's documentation."""

from __future__ import annotations

import re
from urllib.parse import unquote

import httpx
import pytest

from kodaira_desktop.platforms.oauth1 import (
    OAuth1Auth,
    OAuth1Credentials,
    base_string_uri,
    hmac_sha1_signature,
    percent_encode,
    query_parameters,
    sign,
    signature_base_string,
)

# X documentation, "Creating a signature".
X_DOC_PARAMS = [
    ("status", "Hello Ladies + Gentlemen, a signed OAuth request!"),
    ("include_entities", "true"),
    ("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
    ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
    ("oauth_signature_method", "HMAC-SHA1"),
    ("oauth_timestamp", "1318622958"),
    ("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
    ("oauth_version", "1.0"),
]
X_DOC_CONSUMER_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"
X_DOC_TOKEN_SECRET = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        ("Ladies + Gentlemen", "Ladies%20%2B%20Gentlemen"),
        ("An encoded string!", "An%20encoded%20string%21"),
        ("Dogs, Cats & Mice", "Dogs%2C%20Cats%20%26%20Mice"),
        ("☃", "%E2%98%83"),
        ("-._~azAZ09", "-._~azAZ09"),
        ("小平", "%E5%B0%8F%E5%B9%B3"),
    ],
)
def test_percent_encode(raw: str, encoded: str) -> None:
    assert percent_encode(raw) == encoded


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://EXAMPLE.COM:80/r%20v/X?id=123", "http://example.com/r%20v/X"),
        ("https://www.example.net:8080/?q=1", "https://www.example.net:8080/"),
        ("https://api.x.com:443/2/tweets", "https://api.x.com/2/tweets"),
    ],
)
def test_base_string_uri_rfc5849_examples(url: str, expected: str) -> None:
    assert base_string_uri(url) == expected


def test_signature_base_string_rfc5849_example() -> None:
    # RFC 5849 §3.4.1.1: query, form body (c2&a3=2+q) and oauth_* parameters; realm excluded.
    url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
    params = [
        *query_parameters(url),
        ("c2", ""),
        ("a3", "2 q"),
        ("oauth_consumer_key", "9djdj82h48djs9d2"),
        ("oauth_token", "kkk9d7dh3k39sjv7"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131201"),
        ("oauth_nonce", "7d8f3e4a"),
    ]
    assert signature_base_string("post", url, params) == (
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
        "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_"
        "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m"
        "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk"
        "9d7dh3k39sjv7"
    )


@pytest.mark.parametrize(
    ("url", "signature"),
    [
        ("https://api.twitter.com/1.1/statuses/update.json", "hCtSmYh+iHYCEqBWrE7C7hYmtUk="),
        ("https://api.twitter.com/1/statuses/update.json", "tnnArxj06cWHq44gCs1OSKk/jLY="),
    ],
)
def test_signature_matches_x_documentation(url: str, signature: str) -> None:
    base = signature_base_string("POST", url, X_DOC_PARAMS)
    assert hmac_sha1_signature(base, X_DOC_CONSUMER_SECRET, X_DOC_TOKEN_SECRET) == signature


def test_sign_includes_query_and_form_parameters() -> None:
    credentials = OAuth1Credentials(
        "xvz1evFS4wEEPTGEFPHBog",
        X_DOC_CONSUMER_SECRET,
        "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        X_DOC_TOKEN_SECRET,
    )
    oauth = sign(
        "POST",
        "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
        credentials,
        form=[("status", "Hello Ladies + Gentlemen, a signed OAuth request!")],
        nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
        timestamp=1318622958,
    )
    assert oauth["oauth_signature"] == "hCtSmYh+iHYCEqBWrE7C7hYmtUk="


def _header_params(header: str) -> dict[str, str]:
    return {k: unquote(v) for k, v in re.findall(r'(\w+)="([^"]*)"', header)}


def _verify(header: str, url: str, extra: list[tuple[str, str]]) -> bool:
    oauth = _header_params(header)
    signature = oauth.pop("oauth_signature")
    base = signature_base_string("POST", url, [*query_parameters(url), *extra, *oauth.items()])
    return hmac_sha1_signature(base, "consumer-secret", "token-secret") == signature


def test_auth_signs_form_bodies_but_not_json() -> None:
    auth = OAuth1Auth(OAuth1Credentials("key", "consumer-secret", "token", "token-secret"))
    url = "https://api.x.com/x?a=1"
    form = next(auth.auth_flow(httpx.Request("POST", url, data={"b": "2 3"})))
    as_json = next(auth.auth_flow(httpx.Request("POST", url, json={"b": "2 3"})))
    assert _verify(form.headers["Authorization"], url, [("b", "2 3")])
    assert _verify(as_json.headers["Authorization"], url, [])
    for header in (form.headers["Authorization"], as_json.headers["Authorization"]):
        assert "consumer-secret" not in header
        assert "token-secret" not in header


def test_credentials_repr_hides_secrets() -> None:
    credentials = OAuth1Credentials("key", "consumer-secret", "the-token", "token-secret")
    text = repr(credentials) + repr(OAuth1Auth(credentials))
    assert "key" in text
    for secret in ("consumer-secret", "the-token", "token-secret"):
        assert secret not in text
