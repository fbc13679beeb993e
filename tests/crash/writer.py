"""A writer process for the crash tests: ``python -m tests.crash.writer URL NAME``.

Writes in bursts, as a busy office does: queue an item (two entries), claim due entries and
record each as published together with its audit row, append audit rows. Prints ``ready``
and keeps writing until it is killed.
"""

from __future__ import annotations

import itertools
import sys

from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import audit, compose
from kodaira_desktop.services.context import AppContext


def main(url: str, name: str) -> None:
    ctx = AppContext.create(database=url, login="tanaka")
    ctx.store.list_channels()
    print("ready", flush=True)
    for number in itertools.count():
        compose.submit(
            ctx,
            compose.ComposeRequest(text=f"{name} のお知らせ {number}", channels=("x-city", "line")),
        )
        for entry in ctx.store.claim_due(ctx.clock.now(), name, limit=3):
            ctx.store.transition(
                entry.id,
                EntryState.SENDING,
                entry.version,
                EntryState.PUBLISHED,
                remote_id=f"{name}-{entry.id}",
                audit=audit.pending(ctx, "entry.published", f"entry:{entry.id}", actor=name),
            )
        audit.record(ctx, "test.burst", f"writer:{name}", {"n": number}, actor=name)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
