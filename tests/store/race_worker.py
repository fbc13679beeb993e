"""A separate OS process for the race tests: ``python -m tests.store.race_worker MODE URL NAME N``.

Prints ``ready`` once connected, waits for a line on stdin (so both workers start together),
does its work and prints one JSON line with what it did.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from datetime import UTC, datetime

from kodaira_desktop.domain.records import AuditFields, AuditRecord
from kodaira_desktop.store.engine import open_database
from kodaira_desktop.store.repository import Store

DUE_AT = datetime(2025, 12, 1, 0, 30, tzinfo=UTC)


def sha256_hash(record: AuditRecord) -> str:
    """The test's stand-in for the security layer's hash."""
    canonical = json.dumps(
        [
            record.seq,
            record.at.isoformat(),
            record.actor,
            record.action,
            record.target,
            record.details,
            record.prev_hash,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def claim(store: Store, name: str, batch: int) -> dict[str, object]:
    claimed: list[int] = []
    batches = 0
    while entries := store.claim_due(DUE_AT, name, limit=batch):
        claimed.extend(entry.id for entry in entries)
        batches += 1
        # A dispatcher publishes between claims. Without any pause, SQLite's busy handler
        # (which sleeps and retries, it does not queue) can let one process take everything.
        time.sleep(0.002)
    return {"claimed": claimed, "batches": batches}


def audit(store: Store, name: str, count: int) -> dict[str, object]:
    seqs = []
    for i in range(count):
        fields = AuditFields(
            at=datetime.now(UTC), actor=name, action="test.append", target=f"n:{i}"
        )
        seqs.append(store.append_audit(fields, sha256_hash).seq)
        time.sleep(0.001)  # as between real actions; lets the other writer in on SQLite
    return {"seqs": seqs}


def main(mode: str, url: str, name: str, number: int) -> None:
    db = open_database(url)
    store = Store(db)
    store.list_channels()  # connect before the start signal
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    result = claim(store, name, number) if mode == "claim" else audit(store, name, number)
    result |= {"name": name, "seconds": time.perf_counter() - started}
    db.dispose()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
