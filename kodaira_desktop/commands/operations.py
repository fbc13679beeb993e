"""Handlers for running the office: `policy ...`, `dispatch`, `db ...`, `audit ...`, `doctor`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kodaira_desktop.cli_errors import EXIT_FAILURE, EXIT_OK
from kodaira_desktop.commands.prompts import Handler, ask_chief_password
from kodaira_desktop.services.context import AppContext


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
    version = policy_admin.set_policy(ctx, text, ask_chief_password(args))
    print(f"policy version {version} in force (signed by {ctx.login})")
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
    "policy show": cmd_policy_show,
    "policy set": cmd_policy_set,
    "db export": cmd_db_export,
    "db import": cmd_db_import,
    "dispatch": cmd_dispatch,
    "audit verify": cmd_audit_verify,
    "audit export": cmd_audit_export,
    "doctor": cmd_doctor,
}
