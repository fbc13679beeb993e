"""Fast, precise recovery: claims are tied to their dispatcher's heartbeat; a dead
dispatcher's claims are recovered as soon as its heartbeat is stale, and only an entry whose
request may have left becomes `unknown` (X, Facebook)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from kodaira_desktop.dispatch.clock import FakeClock
from kodaira_desktop.services import audit
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.dispatcher import HEARTBEAT_STALE, Dispatcher, DispatchReport
from tests.dispatch.test_dispatcher import S, ctx, queue, services, states
from tests.fakes import FakeServices

__all__ = ["ctx", "services"]


def dead_dispatcher(ctx: AppContext, name: str = "PC-02:4242:dead") -> str:
    ctx.store.beat(name, "tanaka", 4242, "test")
    return name


def test_claims_of_a_live_dispatcher_are_left_alone(
    ctx: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    item = queue(ctx, "x-city")
    other = dead_dispatcher(ctx)
    assert ctx.store.claim_due(clock.now(), other)
    clock.advance(HEARTBEAT_STALE.total_seconds() - 5)
    ctx.store.beat(other, "tanaka", 4242, "test")  # still beating
    Dispatcher(ctx).run_once()
    assert states(ctx, item) == {"x-city": S.SENDING}
    assert services.x.tweets == []


def test_a_stale_heartbeat_frees_its_claims_within_a_minute(
    ctx: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    never_started = queue(ctx, "x-city")
    may_have_left = queue(ctx, "x-mayor")
    line_item = queue(ctx, "line")
    other = dead_dispatcher(ctx)
    for entry in ctx.store.claim_due(clock.now(), other):
        if entry.channel_key != "x-city":
            assert ctx.store.mark_request_started(entry.id, entry.version, clock.now())
    clock.advance(HEARTBEAT_STALE.total_seconds() + 1)  # it died right after claiming
    report = Dispatcher(ctx).run_once()
    assert states(ctx, never_started) == {"x-city": S.PUBLISHED}
    assert states(ctx, may_have_left) == {"x-mayor": S.UNKNOWN}
    assert states(ctx, line_item) == {"line": S.PUBLISHED}
    assert len(services.x.tweets) == 1
    assert len(services.line.broadcasts) == 1
    assert len(report.unknown) == 1
    actions = [row.action for row in ctx.store.iter_audit()]
    assert actions.count("entry.recovered") == 2
    assert audit.verify(ctx).ok


def test_a_dead_process_on_this_pc_is_recovered_at_once(
    ctx: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    import socket
    import subprocess
    import sys

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(gone.stdout)
    name = f"{socket.gethostname()}:{pid}:abcdef"
    ctx.store.beat(name, "tanaka", pid, "test")
    item = queue(ctx, "facebook")
    assert ctx.store.claim_due(clock.now(), name)
    Dispatcher(ctx).run_once()  # no waiting for the heartbeat to go stale
    assert states(ctx, item) == {"facebook": S.PUBLISHED}
    assert len(services.facebook.posts) == 1


def test_a_lost_claim_is_never_sent(
    ctx: AppContext, services: FakeServices, clock: FakeClock
) -> None:
    """This dispatcher was thought dead (its database link was down for a minute) and
    another recovered its entry: it must not send it any more."""
    item = queue(ctx, "x-city")
    slow = Dispatcher(ctx)
    (entry,) = ctx.store.claim_due(clock.now(), slow.host)
    other = Dispatcher(ctx)
    clock.advance(HEARTBEAT_STALE.total_seconds() + 1)
    other.recover_orphans(clock.now(), DispatchReport())  # back in the queue
    report = DispatchReport()
    slow.process(entry, report)
    assert services.x.tweets == []
    assert report.handled == 0
    other.run_once()
    assert states(ctx, item) == {"x-city": S.PUBLISHED}
    assert len(services.x.tweets) == 1


def test_a_state_change_and_its_audit_row_commit_together(
    ctx: AppContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kodaira_desktop.store import claims

    item = queue(ctx, "line")
    (entry,) = ctx.store.claim_due(clock.now(), "pc-1")
    before = ctx.store.audit_tip()

    def broken_append(*_args: object) -> None:
        raise OperationalError("INSERT INTO audit_log", {}, Exception("connection lost"))

    monkeypatch.setattr(claims, "append_audit", broken_append)
    with pytest.raises(OperationalError):
        ctx.store.transition(
            entry.id,
            S.SENDING,
            entry.version,
            S.PUBLISHED,
            audit=audit.pending(ctx, "entry.published", f"entry:{entry.id}"),
        )
    assert states(ctx, item) == {"line": S.SENDING}  # nothing half-written
    assert ctx.store.audit_tip() == before
    monkeypatch.undo()
    assert ctx.store.transition(
        entry.id,
        S.SENDING,
        entry.version,
        S.PUBLISHED,
        audit=audit.pending(ctx, "entry.published", f"entry:{entry.id}"),
    )
    assert ctx.store.audit_tip()[0] == before[0] + 1
    assert audit.verify(ctx).ok


def test_an_outcome_is_recorded_once_the_database_is_back(
    ctx: AppContext, services: FakeServices, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The post left; the database dropped the connection as the dispatcher recorded it: the
    record is retried (with backoff) until it commits, never lost, never sent again."""
    item = queue(ctx, "x-city")
    store = ctx.store
    real = store.transition
    failures = iter([True, True])

    def flaky(*args: object, **kwargs: object) -> bool:
        if args[3] is S.PUBLISHED and next(failures, False):
            raise OperationalError("UPDATE entries", {}, Exception("server closed the connection"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "transition", flaky)
    monkeypatch.setattr("kodaira_desktop.services.outage.BACKOFF_S", (0.01,))
    told: list[str | None] = []
    Dispatcher(ctx, on_outage=told.append).run_once()
    assert states(ctx, item) == {"x-city": S.PUBLISHED}
    assert len(services.x.tweets) == 1
    assert told
    assert "接続できません" in (told[0] or "")


def test_heartbeat_is_written_on_its_own_thread(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kodaira_desktop.services import dispatch_host

    monkeypatch.setattr(dispatch_host, "HEARTBEAT_INTERVAL_S", 0.05)
    beats: list[int] = []
    d = Dispatcher(ctx)
    monkeypatch.setattr(d, "heartbeat", lambda: beats.append(os.getpid()))
    import time

    with d._heartbeats():
        time.sleep(0.3)
    assert len(beats) >= 3
    assert timedelta(seconds=5) < HEARTBEAT_STALE <= timedelta(seconds=30)


def test_rows_of_long_dead_dispatchers_are_forgotten_unless_they_hold_claims(
    ctx: AppContext, clock: FakeClock
) -> None:
    queue(ctx, "line")
    ctx.store.beat("PC-09:1:gone", "tanaka", 1, "test")
    holder = dead_dispatcher(ctx, "PC-08:2:holder")
    assert ctx.store.claim_due(clock.now(), holder)
    clock.advance(2 * 3600)
    assert ctx.store.prune_heartbeats(clock.now() - timedelta(hours=1)) == 1
    assert [h.host_id for h in ctx.store.list_heartbeats()] == [holder]


def test_looking_for_orphans_mid_pass_leaves_our_own_batch_alone(
    ctx: AppContext, services: FakeServices, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kodaira_desktop.services import dispatcher as module

    monkeypatch.setattr(module, "RECOVERY_EVERY_S", 0.0)  # look after every entry
    items = [queue(ctx, "line") for _ in range(3)]
    other = dead_dispatcher(ctx)
    orphan = queue(ctx, "facebook")
    ctx.store.claim_due(clock.now(), other, limit=1)  # the oldest due: line 0
    clock.advance(HEARTBEAT_STALE.total_seconds() + 1)
    report = Dispatcher(ctx).run_once()
    assert all(states(ctx, item) == {"line": S.PUBLISHED} for item in items)
    assert states(ctx, orphan) == {"facebook": S.PUBLISHED}
    assert len(services.line.broadcasts) == 3
    recovered = [r for r in ctx.store.iter_audit() if r.action == "entry.recovered"]
    assert len(recovered) == 1  # only the dead one's claim
    assert len(report.published) == 4
