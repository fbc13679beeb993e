"""Command handlers behind the command line (CONTRACTS.md §4), one module per command group:
each handler reads its arguments, calls one use-case, and prints the outcome.
`commands.runner.run_command` picks the handler; `cli.py` only parses and reports."""
