"""Command handlers for planning ahead: CSV import and export, repeating posts."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kodaira_desktop.cli_errors import EXIT_INVALID, EXIT_OK, CliError
from kodaira_desktop.commands.prompts import Handler
from kodaira_desktop.services.context import AppContext

if TYPE_CHECKING:
    from kodaira_desktop.services.compose import ComposeRequest


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


def cmd_queue_add_repeat(ctx: AppContext, args: argparse.Namespace, request: ComposeRequest) -> int:
    """``queue add ... --repeat RRULE``: one item per occurrence, ids one per line in order."""
    from kodaira_desktop.services import repeats

    if not args.repeat:
        raise CliError("--until needs --repeat", EXIT_INVALID)
    until = _parse_date(args.until, "--until")
    series = repeats.submit(ctx, request, args.repeat, until, args.on_closed)
    for item_id in series.item_ids:
        print(item_id)
    for occurrence in series.occurrences:
        planned = ctx.policy.localize(occurrence.planned).isoformat()
        if occurrence.when is None:
            print(f"skipped {planned}: {occurrence.reason}", file=sys.stderr)
        elif occurrence.moved:
            moved = ctx.policy.localize(occurrence.when).isoformat()
            print(f"moved {planned} -> {moved}: {occurrence.reason}", file=sys.stderr)
    print(f"series {series.series_id}: {len(series.item_ids)} items scheduled", file=sys.stderr)
    return EXIT_OK


def cmd_queue_cancel_series(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import repeats

    cancelled = repeats.cancel_from(ctx, args.item_id)
    for item_id in cancelled:
        print(item_id)
    print(f"{len(cancelled)} items of the series cancelled", file=sys.stderr)
    return EXIT_OK


def template_text(ctx: AppContext, name: str, category: str) -> tuple[str, str]:
    """``queue add --template NAME``: the template's text, and its category unless one was
    given (``お知らせ`` is the option's default)."""
    from kodaira_desktop.services import templates

    template = templates.find(ctx, name)
    return template.text, category if category != "お知らせ" else template.category or category


def cmd_templates_list(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import templates

    for template in templates.list_templates(ctx):
        scope = "shared" if template.shared else "personal"
        first_line = template.text.splitlines()[0] if template.text else ""
        channels = ",".join(template.channels) or "-"
        print(f"{template.name}\t{scope}\t{channels}\t{template.category or '-'}\t{first_line}")
    return EXIT_OK


def cmd_templates_save(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import templates

    if args.text_file:
        try:
            text = Path(args.text_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CliError(f"cannot read --text-file: {error}", EXIT_INVALID) from error
    else:
        text = args.text
    saved = templates.save(
        ctx, args.name, text, args.channel, args.category, shared=not args.personal
    )
    print(f"template {saved.name}: saved ({'shared' if saved.shared else 'personal'})")
    return EXIT_OK


def cmd_templates_remove(ctx: AppContext, args: argparse.Namespace) -> int:
    from kodaira_desktop.services import templates

    templates.remove(ctx, args.name, shared=not args.personal)
    print(f"template {args.name}: removed")
    return EXIT_OK


HANDLERS: dict[str, Handler] = {
    "queue import": cmd_queue_import,
    "queue export": cmd_queue_export,
    "templates list": cmd_templates_list,
    "templates save": cmd_templates_save,
    "templates remove": cmd_templates_remove,
}
