"""Prints the performance table: `python benchmarks/run.py`.

Figures, not pass/fail: the tests check behaviour, this measures speed on this machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.policy import PostingPolicy


def measure(label: str, work: Callable[[], object], repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    print(f"| {label} | {min(times) * 1000:.2f} ms | {statistics.median(times) * 1000:.2f} ms |")


def main() -> None:
    from kodaira_desktop.domain.text_rules import x_weighted_length

    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(3653)]
    print("| what | best | median |")
    print("| --- | --- | --- |")

    def cold() -> list[object]:
        policy = PostingPolicy.default()  # holiday tables rebuilt, cache empty
        return [policy.day_status(d) for d in days]

    measure("day_status, ten years of days, cold (new policy)", cold)
    warm = PostingPolicy.default()
    for d in days:
        warm.day_status(d)
    measure("day_status, ten years of days, warm", lambda: [warm.day_status(d) for d in days])
    instants = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=97 * n) for n in range(10_000)]
    measure("check, 10,000 instants", lambda: [warm.check(t) for t in instants])
    measure("next_allowed, 10,000 instants", lambda: [warm.next_allowed(t) for t in instants])
    text = "小平市からのお知らせです。https://www.city.kodaira.tokyo.jp/ 🎉" * 3
    measure("X weighted count, 1,000 posts", lambda: [x_weighted_length(text) for _ in range(1000)])
    queue_table(warm)
    claims()
    start_up()


def sample_entries(count: int) -> list[Entry]:
    start = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
    channels = ("x-city", "x-mayor", "line", "facebook", "youtube")
    states = list(EntryState)
    return [
        Entry(
            id=n,
            item_id=n // 5,
            channel_key=channels[n % 5],
            item_text=f"お知らせ {n}",
            text_override=None,
            title=None,
            scheduled_at=start + timedelta(minutes=37 * n),
            state=states[n % len(states)],
            attempts=0,
            next_attempt_at=None,
            idempotency_key=str(n),
            resume_state=None,
            remote_id=None,
            remote_url=None,
            last_error=None,
            claimed_by=None,
            claimed_at=None,
            published_at=None,
            updated_at=start,
            version=1,
        )
        for n in range(count)
    ]


def queue_table(policy: PostingPolicy) -> None:
    """The queue table's model with 100,000 rows (offscreen Qt)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kodaira_desktop.ui.queue_model import EntryFilterProxy, EntryTableModel

    _app = QApplication.instance() or QApplication([])
    entries = sample_entries(100_000)
    model = EntryTableModel(policy)
    proxy = EntryFilterProxy(policy)
    proxy.setSourceModel(model)
    measure("queue table: load 100,000 rows", lambda: model.set_entries(entries), repeat=3)
    measure(
        "queue table: sort 100,000 rows by time (descending)",
        lambda: proxy.sort(1, Qt.SortOrder.DescendingOrder),
        repeat=3,
    )
    measure(
        "queue table: filter 100,000 rows by channel",
        lambda: (proxy.set_channel("line"), proxy.set_channel(None)),
        repeat=3,
    )


def claims() -> None:
    """Claiming 1,000 due entries in batches of 20 from one SQLite file."""
    import tempfile
    from pathlib import Path

    from kodaira_desktop.store.engine import open_database
    from kodaira_desktop.store.migrate import upgrade_database
    from kodaira_desktop.store.repository import Store

    due = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade_database(db, None)
        store = Store(db)

        def fill() -> None:
            for n in range(200):
                store.create_item_with_entries(
                    text=f"お知らせ {n}",
                    category=None,
                    author="bench",
                    channels=["x-city", "x-mayor", "line", "facebook", "youtube"],
                    scheduled_at=due,
                )

        def claim_all() -> None:
            while store.claim_due(due, "bench"):
                pass

        measure("queue 200 items x 5 channels (SQLite)", fill, repeat=1)
        measure("claim 1,000 due entries, batches of 20 (SQLite)", claim_all, repeat=1)
        db.dispose()


def start_up() -> None:
    """`kodaira-desktop --smoke`: a new process until the month is shown, on a new database."""
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "KODAIRA_DATA_DIR": folder,
            "KODAIRA_KEYRING": "memory",
            "KODAIRA_GUI_DISPATCH": "0",
        }
        command = [sys.executable, "-m", "kodaira_desktop", "--smoke"]
        subprocess.run(command, env=env, check=True, capture_output=True)  # creates the database
        measure(
            "start-up to the month shown (--smoke, new process)",
            lambda: subprocess.run(command, env=env, check=True, capture_output=True),
            repeat=3,
        )


if __name__ == "__main__":
    main()
