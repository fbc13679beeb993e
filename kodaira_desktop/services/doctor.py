"""`doctor`: what is wrong with this PC's set-up, and how to fix it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kodaira_desktop.services.context import AppContext


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    #: Worth fixing, but this PC works: shown as WARN, not counted as a failure.
    warning: bool = False


def run_checks(ctx: AppContext) -> Iterator[Check]:
    if ctx.settings is not None:  # where each machine-wide setting came from
        yield Check("setting database_url", True, f"from {ctx.settings.database_url.origin}")
        dispatch = ctx.settings.dispatch
        value = "true" if dispatch.value else "false"
        yield Check("setting dispatch", True, f"{value} from {dispatch.origin}")
    yield Check(
        "policy",
        True,
        f"{ctx.policy.config.timezone}, "
        f"{ctx.policy.config.start:%H:%M}-{ctx.policy.config.end:%H:%M}",
    )
    try:
        store = ctx.store
        channels = store.list_channels()
        yield Check("database", True, f"{_safe_url(ctx.database_url)} ({len(channels)} channels)")
    except Exception as error:
        yield Check(
            "database",
            False,
            f"{_safe_url(ctx.database_url)}: {error}",
            "check --database / KODAIRA_DATABASE_URL and that the server is reachable",
        )
        return
    from kodaira_desktop.services.transport_checks import warnings

    for name, detail, fix in warnings(ctx):
        yield Check(name, False, detail, fix, warning=True)
    info = ctx.secrets.backend_info()
    yield Check(
        "keyring",
        info.ok,
        f"{info.name}: {info.message_ja}",
        "" if info.ok else "unlock or install an OS keyring (see README)",
    )
    from kodaira_desktop.services.accounts import read_root

    try:
        root = read_root(ctx)
        yield Check(
            "root of trust",
            root is not None,
            f"pinned: chief {root.chief_login}" if root else "not pinned on this PC",
            "" if root else "copy trust-root.toml from the first PC (see README)",
        )
    except Exception as error:
        yield Check("root of trust", False, str(error), "replace the malformed trust-root.toml")
    yield from _policy_checks(ctx)
    from kodaira_desktop.platforms.registry import REQUIRED_FIELDS

    for channel in channels:
        has = ctx.secrets.has_channel_credentials(channel.key, REQUIRED_FIELDS[channel.platform])
        if not has:
            yield Check(
                f"credentials {channel.key}",
                False,
                "not set",
                f"kodaira-desktop credentials set {channel.key} < fields.json",
            )
            continue
        from kodaira_desktop.services.channels import check_credentials

        try:
            yield Check(f"service {channel.key}", True, check_credentials(ctx, channel.key))
        except Exception as error:
            yield Check(
                f"service {channel.key}",
                False,
                str(error),
                "check the network, the proxy, and the credentials",
            )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _policy_checks(ctx: AppContext) -> Iterator[Check]:
    """The signed policy in force, and a local --policy that only previews."""
    from kodaira_desktop.services import policy_admin
    from kodaira_desktop.services.context import ServiceError

    try:
        policy = policy_admin.policy_in_force(ctx)
        config = policy.config
        yield Check(
            "policy in force",
            True,
            f"signed, {config.timezone}, {config.start:%H:%M}-{config.end:%H:%M}",
        )
    except ServiceError as error:
        yield Check("policy in force", False, str(error), "a chief runs 'policy set FILE'")
    note = policy_admin.local_preview_note(ctx)
    if note:
        yield Check(
            "local policy", False, note, "unset KODAIRA_POLICY / --policy to avoid confusion"
        )
