"""Handlers for `queue add|list|cancel|mark`: one item at a time."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kodaira_desktop.cli_errors import EXIT_INVALID, EXIT_OK, CliError
from kodaira_desktop.commands.planning import (
    cmd_queue_add_repeat,
    cmd_queue_cancel_series,
    template_text,
)
from kodaira_desktop.commands.prompts import Handler
from kodaira_desktop.domain.input_files import TEXT_FILE_LIMIT, InputFileError, read_text_file
from kodaira_desktop.services.context import AppContext


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


HANDLERS: dict[str, Handler] = {
    "queue add": cmd_queue_add,
    "queue list": cmd_queue_list,
    "queue cancel": cmd_queue_cancel,
    "queue mark": cmd_queue_mark,
}
