"""Command handlers for planning ahead: CSV import and export, repeating posts."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kodaira_desktop.cli import EXIT_INVALID, EXIT_OK, CliError
from kodaira_desktop.services.context import AppContext


def cmd_queue_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import csv_io

    checked = csv_io.check_csv(ctx, Path(args.file))
    for row in checked.refused:
        print(f"{row.line}行目: {row.reason()}", file=sys.stderr)
    if not checked.ok:
        raise CliError(
            f"{len(checked.refused)} of {len(checked.rows)} rows refused; nothing imported",
            EXIT_INVALID,
        )
    if args.dry_run:
        for row in checked.rows:
            when = ctx.policy.localize(row.scheduled_at).isoformat() if row.scheduled_at else "-"
            print(f"{row.line}行目\t{';'.join(row.channels)}\t{when}\tOK")
        print(f"{len(checked.rows)} rows pass; nothing imported (--dry-run)", file=sys.stderr)
        return EXIT_OK
    for item_id in csv_io.import_checked(ctx, checked):
        print(item_id)
    print(f"{len(checked.rows)} items imported", file=sys.stderr)
    return EXIT_OK


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError as error:
        raise CliError(f"{option} {value!r} is not a date like 2027-04-01", EXIT_INVALID) from error


def cmd_queue_export(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import csv_io

    first = _parse_date(args.from_date, "--from")
    last = _parse_date(args.to_date, "--to")
    if first and last and last < first:
        raise CliError("--to is before --from", EXIT_INVALID)
    rows = csv_io.export_rows(ctx, first, last)
    text = csv_io.export_csv(rows)
    if args.output:
        csv_io.write_atomically(Path(args.output), text)
        print(f"{len(rows)} items written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(("\ufeff" + text).encode("utf-8"))
    return EXIT_OK


PLANNING_HANDLERS = {
    "queue import": cmd_queue_import,
    "queue export": cmd_queue_export,
}
