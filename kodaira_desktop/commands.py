"""Command handlers behind the command line (CONTRACTS.md §4): each reads its arguments,
calls one use-case, and prints the outcome."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kodaira_desktop.cli import EXIT_FAILURE, EXIT_INVALID, EXIT_OK, CliError
from kodaira_desktop.commands_planning import (
    PLANNING_HANDLERS,
    cmd_queue_add_repeat,
    cmd_queue_cancel_series,
    template_text,
)
from kodaira_desktop.domain.input_files import (
    SMALL_FILE_LIMIT,
    TEXT_FILE_LIMIT,
    InputFileError,
    read_text_file,
)
from kodaira_desktop.policy import PolicyError
from kodaira_desktop.services.context import AppContext, ServiceError

Handler = Callable[[AppContext, argparse.Namespace], int]


def run_command(args: argparse.Namespace) -> int:
    _refuse_undecodable(args)
    try:
        ctx = AppContext.create(database=args.database, policy_file=args.policy, login=args.user)
    except PolicyError as error:
        raise CliError(str(error), EXIT_INVALID) from error
    from kodaira_desktop.logs import configure_logging

    configure_logging(ctx.paths.log_dir, debug=args.debug)
    try:
        action = _action_name(args)
        handler = HANDLERS.get(action)
        if handler is None:
            raise CliError(f"unknown command {action!r}", EXIT_INVALID)
        return handler(ctx, args)
    except ServiceError as error:
        raise CliError(str(error), EXIT_INVALID if error.invalid else EXIT_FAILURE) from error
    except _storage_errors() as error:
        raise CliError(f"database error: {_first_line(error)}") from error
    finally:
        ctx.close()


def _refuse_undecodable(args: argparse.Namespace) -> None:
    """Arguments with bytes the system could not decode (lone surrogates) are refused here,
    before anything is opened, rather than failing deep inside a use-case."""
    for name, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and _has_surrogate(text):
                option = "--" + name.replace("_", "-")
                raise CliError(
                    f"{option} は正しい文字列ではありません（文字コードを確認してください） / "
                    f"{option} is not valid text (undecodable bytes)",
                    EXIT_INVALID,
                )


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _storage_errors() -> tuple[type[BaseException], ...]:
    from sqlalchemy.exc import SQLAlchemyError

    from kodaira_desktop.store.errors import StoreError

    return (SQLAlchemyError, StoreError)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _action_name(args: argparse.Namespace) -> str:
    sub = getattr(args, f"{args.command}_command", None)
    return f"{args.command} {sub}" if sub else args.command


# -- passwords -----------------------------------------------------------------------------


def _password_lines(args: argparse.Namespace) -> list[str]:
    if not args.password_file:
        return []
    try:
        text = read_text_file(args.password_file, limit=SMALL_FILE_LIMIT, what="the password file")
    except InputFileError as error:
        raise CliError(str(error), EXIT_INVALID) from None
    return text.splitlines()


def _chief_password(
    args: argparse.Namespace, prompt: str = "課長のパスワード / chief's password: "
) -> str:
    lines = _password_lines(args)
    if lines:
        return lines[0]
    if not sys.stdin.isatty():
        raise CliError("the chief's password is needed: give --password-file FILE", EXIT_INVALID)
    return getpass.getpass(prompt)


def _new_password(args: argparse.Namespace, who: str, line: int = 0) -> str:
    lines = _password_lines(args)
    if len(lines) > line:
        return lines[line]
    if not sys.stdin.isatty():
        raise CliError(
            f"a new password for {who} is needed: give it in --password-file (line {line + 1})",
            EXIT_INVALID,
        )
    first = getpass.getpass(f"{who} の新しいパスワード / new password for {who}: ")
    if first != getpass.getpass("もう一度 / again: "):
        raise CliError("the two passwords differ", EXIT_INVALID)
    return first


# -- handlers ------------------------------------------------------------------------------


def cmd_init(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import accounts, policy_admin

    policy_text = policy_admin.local_policy_text(ctx)
    display = args.display_name or args.chief
    if args.repin:
        _confirm_repin(ctx, args)
        print(
            accounts.repin(
                ctx, args.chief, _new_password(args, args.chief), display, policy_text=policy_text
            )
        )
        return EXIT_OK
    password: str | None = None
    if accounts.trust_root_path(ctx) is None and not ctx.store.list_users(role="chief"):
        password = _new_password(args, args.chief)
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
    chief_password = None if bootstrap else _chief_password(args)
    new_password = None
    if args.role == "chief":
        new_password = _new_password(args, args.name, line=0 if bootstrap else 1)
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

    user = handover.deactivate_user(ctx, args.name, _chief_password(args))
    revoked = " and their chief key revoked" if user.public_key is not None else ""
    print(f"{user.login}: deactivated{revoked}")
    return EXIT_OK


def cmd_policy_show(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import policy_admin

    sys.stdout.write(policy_admin.in_force_body(ctx))
    record = ctx.store.latest_policy()
    if record is not None:
        print(
            f"policy version {record.version}, set by {record.set_by} at "
            f"{ctx.policy.localize(record.set_at).isoformat()} (signature verified)",
            file=sys.stderr,
        )
    note = policy_admin.local_preview_note(ctx)
    if note:
        print(note, file=sys.stderr)
    return EXIT_OK


def cmd_policy_set(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import policy_admin

    text = policy_admin.read_policy_file(args.file)
    version = policy_admin.set_policy(ctx, text, _chief_password(args))
    print(f"policy version {version} in force (signed by {ctx.login})")
    return EXIT_OK


def cmd_users_designate(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import accounts

    user = accounts.set_designations(ctx, args.name, args.channels, _chief_password(args))
    print(f"{user.login}: {', '.join(sorted(user.channels)) or '-'}")
    return EXIT_OK


def cmd_users_passwd(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import accounts

    old = _chief_password(args, "現在のパスワード / current password: ")
    new = _new_password(args, ctx.login, line=1)
    accounts.change_password(ctx, old, new)
    print("password changed")
    return EXIT_OK


def _parse_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as error:
        raise CliError(f"--at {value!r} is not an ISO 8601 date and time", EXIT_INVALID) from error
    if when.tzinfo is None:
        raise CliError(
            f"--at {value!r} has no UTC offset: write it like 2026-11-25T10:00+09:00",
            EXIT_INVALID,
        )
    return when


def cmd_queue_add(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import compose

    category, fill = args.category, False
    if args.template:
        text, category = template_text(ctx, args.template, args.category)
        fill = True
    elif args.text_file:
        try:
            text = read_text_file(args.text_file, limit=TEXT_FILE_LIMIT, what="--text-file")
            text = text.replace("\r\n", "\n")  # a file saved on Windows
        except InputFileError as error:
            raise CliError(str(error), EXIT_INVALID) from None
    else:
        text = args.text
    request = compose.ComposeRequest(
        text=text,
        channels=tuple(dict.fromkeys(args.channel)),
        title=args.title,
        media=tuple(Path(p) for p in args.media),
        image_urls=tuple(args.image_url),
        alt_texts=tuple(args.alt_text),
        category=category,
        fill_placeholders=fill,
        at=_parse_at(args.at),
        emergency_reason=args.emergency,
    )
    if args.repeat or args.until:
        return cmd_queue_add_repeat(ctx, args, request)
    platforms = {channel.key: channel.platform for channel in ctx.store.list_channels()}
    if any(platforms.get(key) == "line" for key in request.channels):
        # Shown before a broadcast is scheduled: LINE plans cap the messages of a month.
        from kodaira_desktop.services.channels import line_quota

        print(line_quota(ctx) or "LINE: 今月の送信数を確認できません", file=sys.stderr)
    submitted = compose.submit(ctx, request)
    print(submitted.item_id)
    for note in submitted.notes:
        print(f"note: {note}", file=sys.stderr)
    when = ctx.policy.localize(submitted.scheduled_at).isoformat()
    note = "awaiting the chief's confirmation" if submitted.override_id else "scheduled"
    print(f"item {submitted.item_id}: {note} at {when}", file=sys.stderr)
    return EXIT_OK


def _entry_json(ctx: AppContext, entry: Any) -> dict[str, Any]:
    return {
        "id": entry.id,
        "item_id": entry.item_id,
        "channel": entry.channel_key,
        "state": entry.state.value,
        "scheduled_at": ctx.policy.localize(entry.scheduled_at).isoformat(),
        "remote_id": entry.remote_id,
        "remote_url": entry.remote_url,
        "last_error": entry.last_error,
        "attempts": entry.attempts,
        "text": entry.text,
    }


def cmd_queue_list(ctx: AppContext, args: argparse.Namespace) -> int:
    rows = [_entry_json(ctx, e) for e in ctx.store.list_entries()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    for row in rows:
        print(
            f"{row['id']}\titem {row['item_id']}\t{row['channel']}\t{row['state']}\t"
            f"{row['scheduled_at']}\t{row['remote_url'] or ''}\t{row['last_error'] or ''}"
        )
    return EXIT_OK


def cmd_queue_cancel(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import compose

    if args.series:
        return cmd_queue_cancel_series(ctx, args)
    cancelled = compose.cancel_item(ctx, args.item_id)
    print(f"item {args.item_id}: {len(cancelled)} entries cancelled")
    return EXIT_OK


def cmd_queue_mark(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import outcomes

    entry = outcomes.resolve_unknown(ctx, args.entry_id, args.outcome, args.url or None)
    print(f"entry {entry.id}: {entry.state.value}")
    return EXIT_OK


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
    names = channels.set_credentials(ctx, args.channel, fields, _chief_password(args))
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

    held = channels.suspend(ctx, args.channel, args.reason, _chief_password(args))
    print(f"{args.channel}: suspended; {len(held)} entries held")
    return EXIT_OK


def cmd_channels_resume(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import channels

    released = channels.resume(ctx, args.channel, _chief_password(args))
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

    request = approvals.approve(ctx, args.item_id, _chief_password(args))
    print(f"item {args.item_id}: approved by {request.decided_by}")
    return EXIT_OK


def cmd_approvals_reject(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import approvals

    approvals.reject(ctx, args.item_id, args.reason, _chief_password(args))
    print(f"item {args.item_id}: rejected")
    return EXIT_OK


def cmd_dispatch(ctx: AppContext, args: argparse.Namespace) -> int:
    import signal
    import threading

    from kodaira_desktop.services.dispatcher import Dispatcher
    from kodaira_desktop.services.outage import DATABASE_UNREACHABLE, retry_through_outage

    def say(message: str | None) -> None:
        print(message or "データベースに再接続しました / reconnected", file=sys.stderr, flush=True)

    told: list[bool] = []

    def say_once() -> None:
        if not told:
            told.append(True)
            say(DATABASE_UNREACHABLE)

    stop = threading.Event()
    if not args.once:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        # A PC that starts before the database server (or its network) waits for it.
        retry_through_outage(
            lambda: ctx.store.list_channels(), stop, on_outage=lambda _e: say_once()
        )
    dispatcher = Dispatcher(ctx, on_outage=say)
    if args.once:
        try:
            report = dispatcher.run_once()
        finally:
            dispatcher.close()
        print(report.summary())
        return EXIT_OK if not report.failed else EXIT_FAILURE
    print(f"dispatching as {dispatcher.host}; stop with Ctrl+C", file=sys.stderr)
    dispatcher.run_forever(stop)
    print("dispatcher stopped", file=sys.stderr)
    return EXIT_OK


def cmd_db_export(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import archive

    summary = archive.export_database(ctx, Path(args.output))
    print(f"exported {summary.describe()} to {args.output}")
    return EXIT_OK


def cmd_db_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import archive

    summary = archive.import_database(ctx, Path(args.file))
    print(f"imported {summary.describe()}")
    return EXIT_OK


def cmd_audit_verify(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import audit

    verdict = audit.verify(ctx)
    print(verdict.message)
    if not verdict.ok:
        print(f"first broken link: seq {verdict.first_broken_seq}", file=sys.stderr)
    verified, unverified = audit.verify_approvals(ctx)
    print(f"承認の署名 / approvals: {len(verified)} approval(s) verified")
    if unverified:
        ids = ", ".join(map(str, unverified))
        print(f"approvals not verified (forged, or edited after approval): items {ids}")
    return EXIT_OK if verdict.ok else EXIT_FAILURE


def cmd_audit_export(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import audit

    text = audit.export_csv(ctx.store.iter_audit())
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8-sig")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_doctor(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import doctor

    problems = 0
    for check in doctor.run_checks(ctx):
        mark = "OK " if check.ok else "WARN" if check.warning else "NG "
        print(f"{mark} {check.name}: {check.detail}")
        if not check.ok:
            problems += 0 if check.warning else 1
            if check.fix:
                print(f"    → {check.fix}")
    return EXIT_OK if problems == 0 else EXIT_FAILURE


HANDLERS: dict[str, Handler] = {
    "init": cmd_init,
    "users add": cmd_users_add,
    "users list": cmd_users_list,
    "users designate": cmd_users_designate,
    "users passwd": cmd_users_passwd,
    "users deactivate": cmd_users_deactivate,
    "policy show": cmd_policy_show,
    "policy set": cmd_policy_set,
    "queue add": cmd_queue_add,
    "queue list": cmd_queue_list,
    "queue cancel": cmd_queue_cancel,
    "queue mark": cmd_queue_mark,
    "credentials set": cmd_credentials_set,
    "credentials check": cmd_credentials_check,
    "channels list": cmd_channels_list,
    "channels suspend": cmd_channels_suspend,
    "channels resume": cmd_channels_resume,
    "approvals list": cmd_approvals_list,
    "approvals approve": cmd_approvals_approve,
    "approvals reject": cmd_approvals_reject,
    "db export": cmd_db_export,
    "db import": cmd_db_import,
    "dispatch": cmd_dispatch,
    "audit verify": cmd_audit_verify,
    "audit export": cmd_audit_export,
    "doctor": cmd_doctor,
}
HANDLERS.update(PLANNING_HANDLERS)

__all__ = ["EXIT_FAILURE", "HANDLERS", "run_command"]
