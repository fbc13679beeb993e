from __future__ import annotations

from kodaira_desktop.platforms.endpoints import ServiceEndpoints


def test_defaults_are_the_real_services() -> None:
    endpoints = ServiceEndpoints.from_env({})
    assert endpoints == ServiceEndpoints(
        x="https://api.x.com",
        line="https://api.line.me",
        facebook="https://graph.facebook.com",
        youtube="https://www.googleapis.com",
        google_token="https://oauth2.googleapis.com/token",
    )


def test_environment_overrides_each_base_url() -> None:
    env = {
        "KODAIRA_X_API_BASE": "http://127.0.0.1:1/",
        "KODAIRA_LINE_API_BASE": "http://127.0.0.1:2",
        "KODAIRA_FACEBOOK_API_BASE": "http://127.0.0.1:3",
        "KODAIRA_YOUTUBE_API_BASE": "http://127.0.0.1:4",
        "KODAIRA_GOOGLE_TOKEN_URL": "http://127.0.0.1:5/token",
    }
    endpoints = ServiceEndpoints.from_env(env)
    assert endpoints.x == "http://127.0.0.1:1"
    assert endpoints.google_token == "http://127.0.0.1:5/token"
    assert ServiceEndpoints.from_env(endpoints.as_env()) == endpoints


def test_empty_variable_means_default() -> None:
    assert ServiceEndpoints.from_env({"KODAIRA_X_API_BASE": " "}).x == "https://api.x.com"
