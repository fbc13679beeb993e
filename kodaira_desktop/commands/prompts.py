"""What every command module shares: the `Handler` type, and the passwords asked of the acting
user (from --password-file, else typed on a terminal)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from kodaira_desktop.cli_errors import EXIT_INVALID, CliError
from kodaira_desktop.domain.input_files import SMALL_FILE_LIMIT, InputFileError, read_text_file
from kodaira_desktop.services.context import AppContext

Handler = Callable[[AppContext, argparse.Namespace], int]
"""A command's handler: reads its arguments, calls one use-case, prints, returns the exit code."""


def _password_lines(args: argparse.Namespace) -> list[str]:
    if not args.password_file:
        return []
    try:
        text = read_text_file(args.password_file, limit=SMALL_FILE_LIMIT, what="the password file")
    except InputFileError as error:
        raise CliError(str(error), EXIT_INVALID) from None
    return text.splitlines()


def ask_chief_password(
    args: argparse.Namespace, prompt: str = "課長のパスワード / chief's password: "
) -> str:
    lines = _password_lines(args)
    if lines:
        return lines[0]
    if not sys.stdin.isatty():
        raise CliError("the chief's password is needed: give --password-file FILE", EXIT_INVALID)
    return getpass.getpass(prompt)


def ask_new_password(args: argparse.Namespace, who: str, line: int = 0) -> str:
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
