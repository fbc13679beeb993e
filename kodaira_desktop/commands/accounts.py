"""Handlers for `init` and `users ...`: the people and the root of trust."""

from __future__ import annotations

import argparse
import sys

from kodaira_desktop.cli_errors import EXIT_INVALID, EXIT_OK, CliError
from kodaira_desktop.commands.prompts import Handler, ask_chief_password, ask_new_password
from kodaira_desktop.services.context import AppContext


def cmd_init(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import accounts, policy_admin

    policy_text = policy_admin.local_policy_text(ctx)
    display = args.display_name or args.chief
    if args.repin:
        _confirm_repin(ctx, args)
        print(
            accounts.repin(
                ctx,
                args.chief,
                ask_new_password(args, args.chief),
                display,
                policy_text=policy_text,
            )
        )
        return EXIT_OK
    password: str | None = None
    if accounts.trust_root_path(ctx) is None and not ctx.store.list_users(role="chief"):
        password = ask_new_password(args, args.chief)
    print(accounts.initialize(ctx, args.chief, password, display, policy_text=policy_text))
    return EXIT_OK


def _confirm_repin(ctx: AppContext, args: argparse.Namespace) -> None:
    """Replacing the root of trust is the administrator's deliberate step: say what changes and
    have it confirmed (typed on a terminal, or --yes in a script)."""
    from kodaira_desktop.services import accounts

    old = accounts.read_root(ctx)
    where = accounts.trust_root_path(ctx)
    print(
        f"信頼の起点を置き換えます / replacing the root of trust in {where}: "
        f"{old.fingerprint + ' (' + old.chief_login + ')' if old else 'none pinned'} -> "
        f"a new key for {args.chief}. Every other chief must be added again by {args.chief}, "
        "and every other PC needs the new trust-root.toml.",
        file=sys.stderr,
    )
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise CliError(
            "init --repin needs confirmation: run it on a terminal, or add --yes", EXIT_INVALID
        )
    if input("続けるには REPIN と入力 / type REPIN to continue: ").strip() != "REPIN":
        raise CliError("init --repin cancelled: nothing changed", EXIT_INVALID)


def cmd_users_add(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import accounts

    bootstrap = accounts.may_bootstrap(ctx)
    chief_password = None if bootstrap else ask_chief_password(args)
    new_password = None
    if args.role == "chief":
        new_password = ask_new_password(args, args.name, line=0 if bootstrap else 1)
    user = accounts.add_user(
        ctx,
        args.name,
        args.role,
        args.channels,
        display_name=args.display_name,
        chief_password=chief_password,
        new_password=new_password,
    )
    print(f"added {user.login} ({user.role}; channels: {', '.join(sorted(user.channels)) or '-'})")
    return EXIT_OK


def cmd_users_list(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import chiefs

    trust = chiefs.standing(ctx)
    for user in ctx.store.list_users():
        role = "chief" if user.role == "chief" else "staff"
        channels = ",".join(sorted(user.channels)) or "-"
        status = "active" if user.active else "inactive"
        if user.role == "chief" and user.active and chiefs.why_not_chief(user, trust):
            status = f"not trusted: {chiefs.why_not_chief(user, trust)}"
        print(f"{user.login}\t{role}\t{channels}\t{user.display_name}\t{status}")
    return EXIT_OK


def cmd_users_deactivate(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import handover

    user = handover.deactivate_user(ctx, args.name, ask_chief_password(args))
    revoked = " and their chief key revoked" if user.public_key is not None else ""
    print(f"{user.login}: deactivated{revoked}")
    return EXIT_OK


def cmd_users_designate(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import accounts

    user = accounts.set_designations(ctx, args.name, args.channels, ask_chief_password(args))
    print(f"{user.login}: {', '.join(sorted(user.channels)) or '-'}")
    return EXIT_OK


def cmd_users_passwd(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import accounts

    old = ask_chief_password(args, "現在のパスワード / current password: ")
    new = ask_new_password(args, ctx.login, line=1)
    accounts.change_password(ctx, old, new)
    print("password changed")
    return EXIT_OK


HANDLERS: dict[str, Handler] = {
    "init": cmd_init,
    "users add": cmd_users_add,
    "users list": cmd_users_list,
    "users designate": cmd_users_designate,
    "users passwd": cmd_users_passwd,
    "users deactivate": cmd_users_deactivate,
}
