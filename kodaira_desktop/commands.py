"""Command handlers behind the command line."""

from __future__ import annotations

import argparse

from kodaira_desktop.cli import CliError


def run_command(args: argparse.Namespace) -> int:
    raise CliError(f"the command {args.command!r} is not available yet")
