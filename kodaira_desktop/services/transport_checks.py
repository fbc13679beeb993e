"""`doctor`'s warnings about connections that are not protected by TLS: a service base URL in
plain ``http://`` (other than a test server on this machine), and a PostgreSQL connection
that does not verify the server's certificate or is not encrypted at all."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import fields
from urllib.parse import urlsplit

from kodaira_desktop.services.context import AppContext

#: libpq modes that check the server's certificate (verify-full also checks its name).
VERIFYING_SSLMODES = ("verify-full", "verify-ca")
TLS_FIX = (
    "add ?sslmode=verify-full&sslrootcert=PATH-TO-THE-CA.crt to the database URL "
    "and require TLS on the server (see README)"
)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def warnings(ctx: AppContext) -> Iterator[tuple[str, str, str]]:
    yield from endpoint_warnings(ctx)
    yield from database_warnings(ctx)


def endpoint_warnings(ctx: AppContext) -> Iterator[tuple[str, str, str]]:
    """(name, detail, fix) for every service base URL that is not HTTPS."""
    endpoints = ctx.endpoints
    for spec in fields(endpoints):
        url = str(getattr(endpoints, spec.name))
        parts = urlsplit(url)
        if parts.scheme == "https":
            continue
        if parts.scheme == "http" and is_loopback(parts.hostname or ""):
            continue  # a fake or a local test server on this machine
        yield (
            f"endpoint {spec.name}",
            f"{url} is not HTTPS: tokens and posts would travel unencrypted",
            "unset the KODAIRA_*_API_BASE / KODAIRA_GOOGLE_TOKEN_URL override or use https://",
        )


def database_warnings(ctx: AppContext) -> Iterator[tuple[str, str, str]]:
    """(name, detail, fix) when PostgreSQL is reached without certificate checks or TLS."""
    if not ctx.is_shared_server:
        return
    from sqlalchemy.engine import make_url

    url = make_url(ctx.database_url)
    mode = str(url.query.get("sslmode") or ctx.environ.get("PGSSLMODE") or "prefer")
    if mode not in VERIFYING_SSLMODES:
        yield (
            "database TLS",
            f"sslmode={mode}: the PostgreSQL server's certificate is not verified, so the "
            "connection can be intercepted",
            TLS_FIX,
        )
    encrypted = _connection_is_encrypted(ctx)
    if encrypted is False:
        yield ("database TLS", "the connection to PostgreSQL is not encrypted", TLS_FIX)


def _connection_is_encrypted(ctx: AppContext) -> bool | None:
    """Whether this session uses TLS (pg_stat_ssl), or None when it cannot be told."""
    from sqlalchemy import text

    try:
        with ctx.database.engine.connect() as connection:
            value = connection.execute(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).scalar()
    except Exception:  # an old server or no permission: doctor's database check speaks
        return None
    return None if value is None else bool(value)
