"""Chaos: four dispatcher processes over due entries while they are killed with SIGKILL at
random and the database is restarted; then count what the fakes received.

Used by tests/chaos/test_chaos.py (small, in CI) and by hand at full size:
    KODAIRA_CHAOS_FULL=1 .venv/bin/pytest tests/chaos -q -s -m slow
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from kodaira_desktop.services import compose
from kodaira_desktop.services.context import AppContext
from tests.e2e.harness import Cli
from tests.fakes import FakeServices

#: Open every minute of every day, so the real clock can be used (all processes agree on it).
OPEN_POLICY = """\
[policy]
timezone = "Asia/Tokyo"
weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "00:00"
end = "23:59"
year_end_closure = []
holidays = "none"
"""
CHANNELS = ("x-city", "x-mayor", "line", "facebook")
MAY_BE_UNKNOWN = {"x-city", "x-mayor", "facebook"}
DISPATCHERS = 4


@dataclass
class ChaosSize:
    entries: int
    kill_every: tuple[float, float]  # seconds between kills (random in this range)
    kill_for: float  # seconds of killing
    restart_after: tuple[float, float]  # a killed dispatcher comes back after (random)
    #: One dispatcher killed and never restarted (a PC switched off): recovered by others.
    power_off: bool = True
    #: Every post's response is this slow: the window in which a request "may have left".
    service_delay: float = 0.05
    database_restart_at: float = 0.4  # fraction of kill_for
    database_down_for: float = 2.0
    deadline: float = 240.0

    @classmethod
    def from_env(cls) -> ChaosSize:
        if os.environ.get("KODAIRA_CHAOS_FULL", "") not in ("", "0"):
            return cls(
                entries=2000,
                kill_every=(2.0, 5.0),
                kill_for=90.0,
                restart_after=(0.0, 20.0),
                service_delay=0.05,
                deadline=900.0,
            )
        return cls(
            entries=200,
            kill_every=(1.0, 2.5),
            kill_for=8.0,
            restart_after=(0.0, 1.0),
            service_delay=0.08,
            deadline=180.0,
        )


@dataclass
class Kill:
    at: float
    prefix: str  # claimed_by prefix of the killed process
    claims: int = -1  # entries it held in `sending` at the kill
    recovered_after: float | None = None


@dataclass
class ChaosResult:
    backend: str
    entries: int
    kills: list[Kill]
    restarts: int
    states: dict[str, int]
    duplicates: int
    lost: list[dict[str, Any]]
    unknown: int
    unknown_on_wrong_platform: int
    x_fb_requests_repeated: int
    seconds: float
    audit_ok: bool
    notes: list[str] = field(default_factory=list)

    def recovery_times(self) -> list[float]:
        return [k.recovered_after for k in self.kills if k.claims > 0 and k.recovered_after]

    def figures(self) -> str:
        times = self.recovery_times()
        held = [k for k in self.kills if k.claims > 0]
        recovery = (
            f"recovery after a kill holding claims ({len(held)} kills): "
            f"median {statistics.median(times):.1f} s, max {max(times):.1f} s"
            if times
            else "no kill caught a dispatcher holding claims"
        )
        never = [k for k in held if k.recovered_after is None]
        return (
            f"chaos [{self.backend}]: {self.entries} entries, {len(self.kills)} kills, "
            f"{self.restarts} database restarts, duplicates {self.duplicates}, "
            f"lost {len(self.lost)}, unknown {self.unknown}, states {self.states}, "
            f"{recovery}{f', {len(never)} never recovered' if never else ''}; "
            f"{self.seconds:.0f} s\n  kills: "
            + "; ".join(
                f"{k.prefix} held {k.claims}, recovered after "
                f"{'-' if k.recovered_after is None else f'{k.recovered_after:.1f} s'}"
                for k in self.kills
            )
        )


def create_entries(cli: Cli, services: FakeServices, policy_file: Path, count: int) -> None:
    cli.run("init", "--chief", "kacho", user="kacho", password="kacho-password-1",
            KODAIRA_POLICY=str(policy_file))  # fmt: skip
    cli.run(
        "users", "add", "tanaka", "--role", "staff", "--channels", ",".join(CHANNELS),
        user="kacho", password="kacho-password-1", KODAIRA_POLICY=str(policy_file),
    )  # fmt: skip
    ctx = AppContext.create(
        database=cli.database_url,
        policy_file=str(policy_file),
        login="tanaka",
        environ=cli.env(KODAIRA_POLICY=str(policy_file)),
    )
    try:
        for key in CHANNELS:
            ctx.secrets.set_channel_credentials(key, services.credentials[key])
        for number in range(count // len(CHANNELS)):
            request = compose.ComposeRequest(
                text=f"小平市からのお知らせ 第{number}号", channels=CHANNELS
            )
            compose.submit(ctx, request)
    finally:
        ctx.close()


class DispatcherSlot:
    def __init__(self, index: int, cli: Cli, env: dict[str, str], logs: Path) -> None:
        self.name = f"PC-{index + 1}"
        self.cli = cli
        self.env = {**env, "KODAIRA_HOST_NAME": self.name}
        self.logs = logs
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.killed = False

    def exited_by_itself(self) -> bool:
        """It ended without our SIGKILL (e.g. gave up when the database restarted)."""
        return not self.killed and self.process is not None and self.process.poll() is not None

    def start(self) -> None:
        self.starts += 1
        self.killed = False
        out = (self.logs / f"{self.name}-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kodaira_desktop", "--user", "tanaka", "dispatch"],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        out.close()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> str:
        assert self.process is not None
        prefix = f"{self.name}:{self.process.pid}:"
        self.killed = True
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        return prefix

    def stop(self) -> None:
        if self.alive:
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Observer:
    """Polls the database: entries in `sending` per claimer (for recovery times)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, pool_pre_ping=True)
        self.kills: list[Kill] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def sending_by(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT claimed_by, COUNT(*) FROM entries WHERE state = 'sending' "
                    "GROUP BY claimed_by"
                )
            ).all()
        return {str(by): int(n) for by, n in rows}

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            rows = connection.execute(text("SELECT state, COUNT(*) FROM entries GROUP BY state"))
            return {str(s): int(n) for s, n in rows.all()}

    def record_kill(self, prefix: str, at: float) -> Kill:
        kill = Kill(at, prefix)
        try:  # what it held the moment it died
            kill.claims = sum(n for by, n in self.sending_by().items() if by.startswith(prefix))
        except Exception:  # the database is being restarted: the poller counts it
            kill.claims = -1
        with self.lock:
            self.kills.append(kill)
        return kill

    def _run(self) -> None:
        while not self.stop.wait(0.25):
            try:
                sending = self.sending_by()
            except Exception:  # the database is being restarted
                continue
            now = time.monotonic()
            with self.lock:
                for kill in self.kills:
                    if kill.recovered_after is not None:
                        continue
                    held = sum(n for by, n in sending.items() if by.startswith(kill.prefix))
                    if kill.claims < 0:
                        kill.claims = held
                    if held == 0:
                        kill.recovered_after = now - kill.at if kill.claims > 0 else 0.0


def run_chaos(
    backend: str,
    cli: Cli,
    services: FakeServices,
    work: Path,
    size: ChaosSize,
    restart_database: Callable[[float], None] | None,
    seed: int | None = None,
) -> ChaosResult:
    rng = random.Random(seed)
    policy_file = work / "open-policy.toml"
    policy_file.write_text(OPEN_POLICY, encoding="utf-8")
    services.line.monthly_limit = None
    create_entries(cli, services, policy_file, size.entries)
    total = size.entries // len(CHANNELS) * len(CHANNELS)
    for fake, path in ((services.x, r"/2/tweets$"), (services.facebook, r"/feed$"),
                       (services.line, r"/broadcast$")):  # fmt: skip
        fake.delay_next(path, size.service_delay, times=10**9, method="POST")
    env = cli.env(KODAIRA_POLICY=str(policy_file))
    logs = work / "logs"
    logs.mkdir()
    observer = Observer(cli.database_url)
    slots = [DispatcherSlot(i, cli, env, logs) for i in range(DISPATCHERS)]
    started = time.monotonic()
    restarts = 0
    notes: list[str] = []
    powered_off: DispatcherSlot | None = None
    try:
        for slot in slots:
            slot.start()
        observer.thread.start()
        pending_restarts: list[tuple[float, DispatcherSlot]] = []
        restart_db_at = started + size.kill_for * size.database_restart_at
        next_kill = started + rng.uniform(*size.kill_every)
        while time.monotonic() - started < size.kill_for:
            now = time.monotonic()
            notes.extend(f"{s.name} exited by itself" for s in slots if s.exited_by_itself())
            for when, slot in list(pending_restarts):
                if now >= when:
                    slot.start()
                    pending_restarts.remove((when, slot))
            if restart_database is not None and restarts == 0 and now >= restart_db_at:
                restart_database(size.database_down_for)
                restarts += 1
            if now >= next_kill:
                alive = [s for s in slots if s.alive]
                if alive:
                    victim = rng.choice(alive)
                    kill = observer.record_kill(victim.kill(), time.monotonic())
                    if size.power_off and powered_off is None and kill.claims > 0:
                        powered_off = victim  # this PC stays off
                    else:
                        pending_restarts.append(
                            (time.monotonic() + rng.uniform(*size.restart_after), victim)
                        )
                next_kill = time.monotonic() + rng.uniform(*size.kill_every)
            time.sleep(0.05)
        for _, slot in pending_restarts:
            slot.start()
        # No more chaos: wait until every entry has ended.
        while time.monotonic() - started < size.deadline:
            try:
                counts = observer.counts()
            except Exception:
                time.sleep(0.5)
                continue
            if counts.get("published", 0) + counts.get("unknown", 0) + counts.get(
                "failed", 0
            ) >= total and not counts.get("sending"):
                break
            time.sleep(0.5)
        else:
            notes.append(f"deadline reached: {observer.counts()}")
        notes.extend(
            f"{slot.name} exited by itself ({slot.process and slot.process.returncode})"
            for slot in slots
            if slot.exited_by_itself()
        )
        # Let the observer notice the last recoveries.
        time.sleep(0.6)
    finally:
        observer.stop.set()
        for slot in slots:
            slot.stop()
    seconds = time.monotonic() - started
    rows = json.loads(cli.run("queue", "list", "--json", KODAIRA_POLICY=str(policy_file)).stdout)
    verify = cli.run("audit", "verify", expect=None, KODAIRA_POLICY=str(policy_file))
    observer.engine.dispose()
    return _tally(backend, rows, services, observer.kills, restarts, seconds,
                  verify.returncode == 0, notes)  # fmt: skip


def _tally(
    backend: str,
    rows: list[dict[str, Any]],
    services: FakeServices,
    kills: list[Kill],
    restarts: int,
    seconds: float,
    audit_ok: bool,
    notes: list[str],
) -> ChaosResult:
    posted: collections.Counter[str] = collections.Counter()
    posted.update(f"x:{t.author_id}:{t.text}" for t in services.x.tweets)
    posted.update(f"facebook:{p.message}" for p in services.facebook.posts)
    posted.update(f"line:{m.get('text')}" for b in services.line.broadcasts for m in b.messages[:1])
    duplicates = sum(n - 1 for n in posted.values() if n > 1)
    sends: collections.Counter[str] = collections.Counter()
    for fake, path in ((services.x, r"/2/tweets$"), (services.facebook, r"/feed$")):
        for request in fake.requests_to(path, "POST"):
            body = request.json() if fake is services.x else request.fields()
            message = body.get("text") if fake is services.x else body.get("message")
            sends[f"{fake.name}:{bearer_or_auth(request)}:{message}"] += 1
    repeated = sum(n - 1 for n in sends.values() if n > 1)
    states = collections.Counter(row["state"] for row in rows)
    lost = [r for r in rows if r["state"] not in ("published", "unknown")]
    unknown = [r for r in rows if r["state"] == "unknown"]
    wrong = [r for r in unknown if r["channel"] not in MAY_BE_UNKNOWN]
    return ChaosResult(
        backend=backend,
        entries=len(rows),
        kills=kills,
        restarts=restarts,
        states=dict(states),
        duplicates=duplicates,
        lost=lost,
        unknown=len(unknown),
        unknown_on_wrong_platform=len(wrong),
        x_fb_requests_repeated=repeated,
        seconds=seconds,
        audit_ok=audit_ok,
        notes=notes,
    )


def bearer_or_auth(request: Any) -> str:
    """Which account sent it (X: the OAuth token in the Authorization header)."""
    header = request.header("authorization") or ""
    for part in header.split(","):
        if "oauth_token=" in part:
            return part.split("=", 1)[1]
    return ""
