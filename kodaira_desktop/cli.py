"""The command-line front door (CONTRACTS.md §4). Thin: parse, call a use-case, report."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kodaira_desktop.cli_errors import EXIT_FAILURE, EXIT_INVALID, EXIT_OK, CliError
from kodaira_desktop.site_config import SiteConfigError

if TYPE_CHECKING:
    from kodaira_desktop.policy import PostingPolicy

__all__ = ["EXIT_FAILURE", "EXIT_INVALID", "EXIT_OK", "CliError", "build_parser", "main"]


class _Version(argparse.Action):
    """``--version``: the installed version, read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings, dest, default=argparse.SUPPRESS, nargs=0, help="show the version"
        )

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from kodaira_desktop import __version__

        print(f"kodaira-desktop {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kodaira-desktop",
        description="小平市 SNS投稿予約 — Kodaira City social-media posting scheduler. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument(
        "--database",
        metavar="URL",
        help="SQLAlchemy URL (env KODAIRA_DATABASE_URL, then config.toml in the site config "
        "folder); default: SQLite in the user data folder",
    )
    parser.add_argument(
        "--policy",
        metavar="FILE",
        default=os.environ.get("KODAIRA_POLICY"),
        help="policy TOML file (env KODAIRA_POLICY); default: the city's rules",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=os.environ.get("KODAIRA_USER") or _login_name(),
        help="acting user (env KODAIRA_USER); default: the OS login name",
    )
    parser.add_argument(
        "--password-file",
        metavar="FILE",
        help="the acting chief's password (first line of FILE); otherwise prompted",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the window, wait until the current month is shown, and exit 0",
    )
    parser.add_argument(
        "--smoke-paint",
        action="store_true",
        help="open the window and exit 0 right after its first paint",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="create or upgrade the database, create the chief")
    init.add_argument("--chief", required=True, metavar="NAME")
    init.add_argument("--display-name", metavar="NAME")
    init.add_argument(
        "--repin",
        action="store_true",
        help="administrator only: replace this PC's pinned root of trust with a new key for NAME",
    )
    init.add_argument("--yes", action="store_true", help="confirm --repin without a prompt")

    users = commands.add_parser("users", help="staff and chiefs").add_subparsers(
        dest="users_command", required=True, metavar="ACTION"
    )
    add = users.add_parser("add", help="add a user (a chief's action)")
    add.add_argument("name")
    add.add_argument("--role", choices=("staff", "chief"), required=True)
    add.add_argument("--channels", default="", metavar="KEY,KEY")
    add.add_argument("--display-name", metavar="NAME")
    users.add_parser("list", help="list users")
    designate = users.add_parser("designate", help="set the channels of a staff member")
    designate.add_argument("name")
    designate.add_argument("--channels", required=True, metavar="KEY,KEY")
    users.add_parser("passwd", help="change the acting chief's password")
    users.add_parser(
        "deactivate", help="a chief's action: the user can no longer act; a chief's key is revoked"
    ).add_argument("name")

    policy = commands.add_parser("policy", help="the posting policy in force").add_subparsers(
        dest="policy_command", required=True, metavar="ACTION"
    )
    policy.add_parser("show", help="print the policy in force (TOML)")
    policy.add_parser("set", help="a chief's action: put FILE in force").add_argument("file")

    creds = commands.add_parser("credentials", help="service credentials in the OS keyring")
    creds_actions = creds.add_subparsers(
        dest="credentials_command", required=True, metavar="ACTION"
    )
    creds_actions.add_parser("set", help="read a JSON object from stdin").add_argument("channel")
    creds_actions.add_parser("check", help="verify against the service").add_argument("channel")

    queue = commands.add_parser("queue", help="the shared posting queue").add_subparsers(
        dest="queue_command", required=True, metavar="ACTION"
    )
    qadd = queue.add_parser("add", help="queue one item on one or more channels")
    qadd.add_argument("--channel", action="append", required=True, metavar="KEY")
    text = qadd.add_mutually_exclusive_group(required=True)
    text.add_argument("--text")
    text.add_argument("--text-file", metavar="FILE")
    text.add_argument("--template", metavar="NAME", help="定型文: its text, {日付} etc. filled")
    qadd.add_argument("--at", metavar="ISO8601")
    qadd.add_argument("--media", nargs="+", default=[], metavar="FILE")
    qadd.add_argument(
        "--alt-text",
        action="extend",
        nargs="+",
        default=[],
        metavar="TEXT",
        help="代替テキスト, once per image, in the order of the --media images",
    )
    qadd.add_argument("--image-url", action="append", default=[], metavar="URL")
    qadd.add_argument("--title")
    qadd.add_argument("--category", default="お知らせ")
    qadd.add_argument("--emergency", metavar="REASON")
    qadd.add_argument("--repeat", metavar="RRULE", help="RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=MO")
    qadd.add_argument("--until", metavar="DATE", help="last day of the repeat (included)")
    qadd.add_argument("--on-closed", choices=("next", "skip"), default="next")
    qlist = queue.add_parser("list", help="one row per channel entry")
    qlist.add_argument("--json", action="store_true")
    qcancel = queue.add_parser("cancel", help="cancel an item")
    qcancel.add_argument("item_id", type=int)
    qcancel.add_argument("--series", action="store_true", help="and the later ones of its series")
    qimport = queue.add_parser("import", help="queue the rows of a CSV file, all or nothing")
    qimport.add_argument("file", metavar="FILE")
    qimport.add_argument("--dry-run", action="store_true", help="check only")
    qexport = queue.add_parser("export", help="the queue as CSV (UTF-8 with BOM)")
    qexport.add_argument("--output", metavar="FILE")
    qexport.add_argument("--from", dest="from_date", metavar="DATE")
    qexport.add_argument("--to", dest="to_date", metavar="DATE")
    mark = queue.add_parser("mark", help="resolve an entry whose outcome is unknown")
    mark.add_argument("entry_id", type=int)
    mark.add_argument("--as", dest="outcome", choices=("published", "resend"), required=True)
    mark.add_argument("--url", default="")

    templates = commands.add_parser("templates", help="定型文 (saved texts)").add_subparsers(
        dest="templates_command", required=True, metavar="ACTION"
    )
    templates.add_parser("list", help="shared templates and your own")
    tsave = templates.add_parser("save", help="create or replace (shared: a chief's action)")
    tsave.add_argument("name")
    tsave_text = tsave.add_mutually_exclusive_group(required=True)
    tsave_text.add_argument("--text")
    tsave_text.add_argument("--text-file", metavar="FILE")
    tsave.add_argument("--channel", action="append", default=[], metavar="KEY")
    tsave.add_argument("--category")
    tsave.add_argument("--personal", action="store_true", help="your own, not shared")
    tremove = templates.add_parser("remove", help="delete (shared: a chief's action)")
    tremove.add_argument("name")
    tremove.add_argument("--personal", action="store_true")

    approvals = commands.add_parser("approvals", help="emergency overrides").add_subparsers(
        dest="approvals_command", required=True, metavar="ACTION"
    )
    approvals.add_parser("list", help="entries awaiting the chief")
    approvals.add_parser("approve").add_argument("item_id", type=int)
    reject = approvals.add_parser("reject")
    reject.add_argument("item_id", type=int)
    reject.add_argument("--reason", required=True)

    channels = commands.add_parser("channels", help="channels").add_subparsers(
        dest="channels_command", required=True, metavar="ACTION"
    )
    channels.add_parser("list")
    suspend = channels.add_parser("suspend", help="停止: hold a channel's entries")
    suspend.add_argument("channel")
    suspend.add_argument("--reason", required=True)
    channels.add_parser("resume").add_argument("channel")

    db = commands.add_parser("db", help="export or import the whole database").add_subparsers(
        dest="db_command", required=True, metavar="ACTION"
    )
    db.add_parser("export", help="write a portable archive (ZIP)").add_argument(
        "--output", required=True, metavar="FILE"
    )
    db.add_parser("import", help="load an archive into an EMPTY database").add_argument(
        "file", metavar="FILE"
    )

    dispatch = commands.add_parser("dispatch", help="publish what is due")
    dispatch.add_argument("--once", action="store_true")

    audit = commands.add_parser("audit", help="the audit trail").add_subparsers(
        dest="audit_command", required=True, metavar="ACTION"
    )
    audit.add_parser("verify")
    export = audit.add_parser("export", help="CSV for information-disclosure requests")
    export.add_argument("--output", metavar="FILE")

    commands.add_parser("doctor", help="check database, keyring, policy and services")
    return parser


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on this system
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _open_gui(args)
        from kodaira_desktop.commands.runner import run_command

        return run_command(args)
    except CliError as error:
        if args.debug:
            raise
        print(f"kodaira-desktop: {error}", file=sys.stderr)
        return error.exit_code
    except SiteConfigError as error:  # the machine-wide config.toml is malformed
        print(f"kodaira-desktop: {error}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`)
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # the last line of defence: one sentence, no traceback
        if args.debug:
            raise
        print(f"kodaira-desktop: unexpected error: {error}", file=sys.stderr)
        return EXIT_FAILURE


def _open_gui(args: argparse.Namespace) -> int:
    from kodaira_desktop.logs import configure_logging
    from kodaira_desktop.services.context import AppContext
    from kodaira_desktop.ui.app import run_gui

    load_policy_option(args.policy)  # a malformed policy file is refused before any window
    ctx = AppContext.create(database=args.database, policy_file=args.policy, login=args.user)
    configure_logging(ctx.paths.log_dir, debug=args.debug)
    try:
        return run_gui(ctx, smoke=args.smoke, smoke_paint=args.smoke_paint)
    finally:
        ctx.close()


def load_policy_option(path: str | None) -> PostingPolicy:
    """The --policy file, or the city's rules; a malformed file is refused (exit 2)."""
    from kodaira_desktop.policy import PolicyError, PostingPolicy, load_policy

    if not path:
        return PostingPolicy.default()
    try:
        return load_policy(path)
    except PolicyError as error:
        raise CliError(str(error), EXIT_INVALID) from error


def gui_main() -> int:
    return main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
