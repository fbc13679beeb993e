"""Several OS processes on one database: each due entry is claimed exactly once, and the
audit chain never forks."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kodaira_desktop.domain.records import AUDIT_GENESIS_HASH
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.store.repository import Store
from tests.store.conftest import RACE_FIGURES
from tests.store.race_worker import DUE_AT, sha256_hash

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKERS = ("pc-01", "pc-02")
ENTRY_COUNT = 1_000
CHANNELS = ("x-city", "x-mayor", "line", "facebook", "youtube")
CLAIM_BATCH = 20
AUDIT_APPENDS = 150


def _race(mode: str, url: str, number: int) -> tuple[float, list[dict[str, Any]]]:
    """Start one worker per name, release them together, return wall time and results."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.store.race_worker", mode, url, name, str(number)],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in WORKERS
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        started = time.perf_counter()
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=120)[0] for process in processes]
        elapsed = time.perf_counter() - started
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    assert [process.returncode for process in processes] == [0, 0]
    return elapsed, [json.loads(output.strip().splitlines()[-1]) for output in outputs]


@pytest.mark.slow
def test_two_processes_claim_each_due_entry_exactly_once(store: Store, backend: str) -> None:
    for i in range(ENTRY_COUNT // len(CHANNELS)):
        store.create_item_with_entries(
            text=f"お知らせ {i}",
            category=None,
            author="suzuki",
            channels=list(CHANNELS),
            scheduled_at=DUE_AT,
        )
    all_ids = {entry.id for entry in store.list_entries()}
    assert len(all_ids) == ENTRY_COUNT

    elapsed, results = _race("claim", str(store.database.url.render_as_string(False)), CLAIM_BATCH)

    counts = Counter(entry_id for result in results for entry_id in result["claimed"])
    duplicates = sorted(entry_id for entry_id, n in counts.items() if n > 1)
    split = {result["name"]: len(result["claimed"]) for result in results}
    RACE_FIGURES.append(
        f"claim race [{backend}]: {ENTRY_COUNT} entries in {elapsed:.2f} s, "
        f"split {split}, batches "
        f"{ {r['name']: r['batches'] for r in results} }, duplicates {len(duplicates)}"
    )
    print(RACE_FIGURES[-1])
    assert duplicates == []
    assert set(counts) == all_ids
    entries = store.list_entries()
    assert {entry.state for entry in entries} == {EntryState.SENDING}
    assert all(entry.version == 2 for entry in entries)
    owner = {entry_id: result["name"] for result in results for entry_id in result["claimed"]}
    assert all(entry.claimed_by == owner[entry.id] for entry in entries)


@pytest.mark.slow
def test_two_processes_appending_audit_rows_never_fork_the_chain(
    store: Store, backend: str
) -> None:
    elapsed, results = _race(
        "audit", str(store.database.url.render_as_string(False)), AUDIT_APPENDS
    )

    rows = list(store.iter_audit())
    RACE_FIGURES.append(
        f"audit race [{backend}]: {len(rows)} appends in {elapsed:.2f} s, split "
        f"{ {r['name']: len(r['seqs']) for r in results} }"
    )
    print(RACE_FIGURES[-1])
    assert [row.seq for row in rows] == list(range(1, 2 * AUDIT_APPENDS + 1))
    previous = AUDIT_GENESIS_HASH
    for row in rows:
        assert row.prev_hash == previous
        assert row.hash == sha256_hash(row)
        previous = row.hash
    assert store.audit_tip() == (rows[-1].seq, rows[-1].hash)
    assert sorted(seq for r in results for seq in r["seqs"]) == [row.seq for row in rows]
    # Both really ran at once: their rows interleave.
    actors = [row.actor for row in rows]
    assert sum(a != b for a, b in itertools.pairwise(actors)) > 1
