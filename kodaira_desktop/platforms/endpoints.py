"""Where each service lives; overridable by environment variables (tests, proxies)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_X_API_BASE = "https://api.x.com"
DEFAULT_LINE_API_BASE = "https://api.line.me"
DEFAULT_FACEBOOK_API_BASE = "https://graph.facebook.com"
DEFAULT_YOUTUBE_API_BASE = "https://www.googleapis.com"
DEFAULT_GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"

ENV_X_API_BASE = "KODAIRA_X_API_BASE"
ENV_LINE_API_BASE = "KODAIRA_LINE_API_BASE"
ENV_FACEBOOK_API_BASE = "KODAIRA_FACEBOOK_API_BASE"
ENV_YOUTUBE_API_BASE = "KODAIRA_YOUTUBE_API_BASE"
ENV_GOOGLE_TOKEN_URL = "KODAIRA_GOOGLE_TOKEN_URL"


@dataclass(frozen=True)
class ServiceEndpoints:
    x: str = DEFAULT_X_API_BASE
    line: str = DEFAULT_LINE_API_BASE
    facebook: str = DEFAULT_FACEBOOK_API_BASE
    youtube: str = DEFAULT_YOUTUBE_API_BASE
    google_token: str = DEFAULT_GOOGLE_TOKEN_URL

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> ServiceEndpoints:
        """Read the ``KODAIRA_*`` overrides; an unset or empty variable means the default."""

        def pick(name: str, default: str) -> str:
            value = environ.get(name, "").strip()
            return (value or default).rstrip("/")

        return cls(
            x=pick(ENV_X_API_BASE, DEFAULT_X_API_BASE),
            line=pick(ENV_LINE_API_BASE, DEFAULT_LINE_API_BASE),
            facebook=pick(ENV_FACEBOOK_API_BASE, DEFAULT_FACEBOOK_API_BASE),
            youtube=pick(ENV_YOUTUBE_API_BASE, DEFAULT_YOUTUBE_API_BASE),
            google_token=pick(ENV_GOOGLE_TOKEN_URL, DEFAULT_GOOGLE_TOKEN_URL),
        )

    def as_env(self) -> dict[str, str]:
        """The environment variables that make :meth:`from_env` return these endpoints."""
        return {
            ENV_X_API_BASE: self.x,
            ENV_LINE_API_BASE: self.line,
            ENV_FACEBOOK_API_BASE: self.facebook,
            ENV_YOUTUBE_API_BASE: self.youtube,
            ENV_GOOGLE_TOKEN_URL: self.google_token,
        }
