"""The command line's dispatch: open the app's context, run the handler of the command given,
and turn service and storage errors into one-sentence `CliError`s."""

from __future__ import annotations

import argparse

from kodaira_desktop.cli_errors import EXIT_FAILURE, EXIT_INVALID, CliError
from kodaira_desktop.commands import accounts, channels, operations, planning, queue
from kodaira_desktop.commands.prompts import Handler
from kodaira_desktop.policy import PolicyError
from kodaira_desktop.services.context import AppContext, ServiceError

HANDLERS: dict[str, Handler] = {
    **accounts.HANDLERS,
    **queue.HANDLERS,
    **planning.HANDLERS,
    **channels.HANDLERS,
    **operations.HANDLERS,
}


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
