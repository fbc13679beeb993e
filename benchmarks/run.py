"""Prints the performance table: `python benchmarks/run.py`.

Figures, not pass/fail: the tests check behaviour, this measures speed on this machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta


def measure(label: str, work: Callable[[], object], repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    print(f"| {label} | {min(times) * 1000:.2f} ms | {statistics.median(times) * 1000:.2f} ms |")


def main() -> None:
    from kodaira_desktop.domain.text_rules import x_weighted_length
    from kodaira_desktop.policy import PostingPolicy

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


if __name__ == "__main__":
    main()
