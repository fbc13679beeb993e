"""The command line's exit codes and its one-sentence error, shared by the front door
(`cli.py`) and the command handlers (`commands/`), so neither imports the other's module."""

from __future__ import annotations

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


class CliError(Exception):
    """A failure reported to the user as one sentence on stderr."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
