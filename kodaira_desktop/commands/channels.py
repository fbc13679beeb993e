"""Handlers for `credentials ...`, `channels ...` and `approvals ...`: the channels and what
holds or releases their entries."""

from __future__ import annotations

import argparse
import json
import sys

from kodaira_desktop.cli_errors import EXIT_INVALID, EXIT_OK, CliError
from kodaira_desktop.commands.prompts import Handler, ask_chief_password
from kodaira_desktop.domain.input_files import SMALL_FILE_LIMIT
from kodaira_desktop.services.context import AppContext


def cmd_credentials_set(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import channels

    data = sys.stdin.read(SMALL_FILE_LIMIT + 1)  # bounded: stdin may be /dev/zero
    if len(data) > SMALL_FILE_LIMIT:
        raise CliError(
            f"stdin is too large for credentials (over {SMALL_FILE_LIMIT:,} characters)",
            EXIT_INVALID,
        )
    try:
        fields = json.loads(data)
    except json.JSONDecodeError as error:
        raise CliError(f"stdin is not a JSON object ({error.msg})", EXIT_INVALID) from error
    if not isinstance(fields, dict):
        raise CliError("stdin must hold one JSON object of credential fields", EXIT_INVALID)
    names = channels.set_credentials(ctx, args.channel, fields, ask_chief_password(args))
    print(f"{args.channel}: stored {', '.join(names)} in the OS keyring")
    return EXIT_OK


def cmd_credentials_check(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import channels

    print(f"{args.channel}: OK ({channels.check_credentials(ctx, args.channel)})")
    return EXIT_OK


def cmd_channels_list(ctx: AppContext, args: argparse.Namespace) -> int:
    for channel in ctx.store.list_channels():
        state = f"停止中: {channel.suspended_reason}" if channel.suspended else "稼働中"
        fields = (channel.key, channel.platform, channel.handle or "-", channel.display_name, state)
        print("\t".join(fields))
    return EXIT_OK


def cmd_channels_suspend(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import channels

    held = channels.suspend(ctx, args.channel, args.reason, ask_chief_password(args))
    print(f"{args.channel}: suspended; {len(held)} entries held")
    return EXIT_OK


def cmd_channels_resume(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import channels

    released = channels.resume(ctx, args.channel, ask_chief_password(args))
    print(f"{args.channel}: resumed; {len(released)} entries released")
    return EXIT_OK


def cmd_approvals_list(ctx: AppContext, args: argparse.Namespace) -> int:
    for request in ctx.store.list_pending_overrides():
        item = ctx.store.get_item(request.item_id)
        channels = ",".join(e.channel_key for e in item.entries) if item else "-"
        start = ctx.policy.localize(request.window_start).isoformat()
        print(f"{request.item_id}\t{channels}\t{start}\t{request.requested_by}\t{request.reason}")
    return EXIT_OK


def cmd_approvals_approve(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import approvals

    request = approvals.approve(ctx, args.item_id, ask_chief_password(args))
    print(f"item {args.item_id}: approved by {request.decided_by}")
    return EXIT_OK


def cmd_approvals_reject(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import approvals

    approvals.reject(ctx, args.item_id, args.reason, ask_chief_password(args))
    print(f"item {args.item_id}: rejected")
    return EXIT_OK


HANDLERS: dict[str, Handler] = {
    "credentials set": cmd_credentials_set,
    "credentials check": cmd_credentials_check,
    "channels list": cmd_channels_list,
    "channels suspend": cmd_channels_suspend,
    "channels resume": cmd_channels_resume,
    "approvals list": cmd_approvals_list,
    "approvals approve": cmd_approvals_approve,
    "approvals reject": cmd_approvals_reject,
}
