"""The dispatch engine, one behind both `dispatch` on the command line and the GUI's worker.

Each due entry is claimed by compare-and-set (so any number of PCs may run this against one
database), re-checked against the policy and any emergency approval at send time, published,
and recorded. An outcome that is not known is never sent again automatically.
"""

from __future__ import annotations

import logging
import math
import os
import random
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime

from kodaira_desktop import __version__
from kodaira_desktop.dispatch.pacing import Pacer, pacing_message
from kodaira_desktop.dispatch.retry import RetryPolicy
from kodaira_desktop.dispatch.wakeup import JumpDetector, seconds_until
from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Channel, Entry, Item
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.platforms.base import (
    CredentialsError,
    ErrorKind,
    Publisher,
    PublishError,
    PublishRequest,
    PublishResult,
)
from kodaira_desktop.policy import PostingPolicy
from kodaira_desktop.services import approvals, audit, send_checks
from kodaira_desktop.services.claim_recovery import ClaimRecovery
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.services.dispatch_host import (
    HEARTBEAT_STALE,
    HOST_NAME_ENV,
    HeartbeatThread,
    host_id,
)
from kodaira_desktop.services.dispatch_report import DispatchReport
from kodaira_desktop.services.outage import (
    DATABASE_UNREACHABLE,
    backoff,
    is_database_outage,
    retry_through_outage,
)
from kodaira_desktop.services.policy_admin import policy_in_force
from kodaira_desktop.services.publisher_pool import PublisherFactory, PublisherPool, is_retry_safe
from kodaira_desktop.services.training import fake_clock_refusal

log = logging.getLogger(__name__)

S = EntryState
ProgressHook = Callable[[Entry, int, int], None]
OutageHook = Callable[[str | None], None]

#: How often a long pass looks for orphaned claims, between its entries.
RECOVERY_EVERY_S = 5.0
#: The longest sleep between passes (entries other PCs add, claims of dead dispatchers).
RESYNC_S = 10.0
#: While sleeping, look this often for entries that fell due sooner (added meanwhile).
POLL_SECONDS = 0.5

__all__ = ["HEARTBEAT_STALE", "DispatchReport", "Dispatcher", "PublisherFactory", "host_id"]


class ClaimLostError(Exception):
    """Another dispatcher recovered this entry (ours was thought dead): do not send it."""


class Dispatcher:
    def __init__(
        self,
        ctx: AppContext,
        *,
        publisher_factory: PublisherFactory | None = None,
        retry: RetryPolicy | None = None,
        rand: Callable[[], float] = random.random,
        progress: ProgressHook | None = None,
        client_timeout: float = 30.0,
        on_outage: OutageHook | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.retry = retry or RetryPolicy()
        self.rand = rand
        self.progress = progress
        self.host_name = ctx.environ.get(HOST_NAME_ENV) or socket.gethostname()
        self.host = host_id(self.host_name)
        self.publishers = PublisherPool(ctx, publisher_factory, timeout=client_timeout)
        self.recovery = ClaimRecovery(ctx, self.host, self.host_name, self._finish)
        #: The version of each entry being sent, as progress (resume state) bumps it.
        self._versions: dict[int, int] = {}
        #: The signed policy in force, read again at each pass (never the local file).
        self.policy: PostingPolicy | None = None
        #: Told DATABASE_UNREACHABLE while the database is away, None once it is back.
        self.on_outage = on_outage
        #: Set to stop: between entries, and while waiting for the database to come back.
        self.stopping = threading.Event()
        self._beating = False
        self._told: str | None = None
        #: Per-account send slots under the documented rate limits; entry id -> its slot.
        self.pacer = pacer or Pacer()
        self._slots: dict[int, datetime] = {}
        self._recovered_at = 0.0

    # -- the loop ----------------------------------------------------------------------------

    def run_once(self) -> DispatchReport:
        """Publish everything due now, then return. Refuses (ServiceError) on a training clock
        aimed at real services, or when no signed policy is in force."""
        refusal = fake_clock_refusal(self.ctx)
        if refusal is not None:
            raise refusal
        self.policy = policy_in_force(self.ctx)
        report = DispatchReport()
        with self._heartbeats():
            now = self.ctx.clock.now()
            self.heartbeat()
            self.expire_requests(now)
            self.recover_orphans(now, report)
            self._recovered_at = self.ctx.clock.monotonic()
            while not self.stopping.is_set():
                claimed = self.store.claim_due(self.ctx.clock.now(), self.host)
                if not claimed:
                    break
                self._process_batch(claimed, report)
        return report

    def _process_batch(self, claimed: list[Entry], report: DispatchReport) -> None:
        """Each channel's entries in order, the channels side by side: one account's sends
        stay sequential (and paced), while waits on different services overlap."""
        by_channel: dict[str, list[Entry]] = {}
        for entry in claimed:
            by_channel.setdefault(entry.channel_key, []).append(entry)
        items = {i: item for i in {e.item_id for e in claimed} if (item := self.store.get_item(i))}
        channels = {c.key: c for c in self.store.list_channels() if c.key in by_channel}

        def run(entries: list[Entry]) -> None:
            for index, entry in enumerate(entries):
                if self.stopping.is_set():
                    self._release(entries[index:], report)
                    return
                self.process(entry, report, items, channels)
                self._recover_if_due(report)

        if len(by_channel) == 1:
            run(claimed)
            return

        with ThreadPoolExecutor(len(by_channel), thread_name_prefix="dispatch") as pool:
            for future in [pool.submit(run, entries) for entries in by_channel.values()]:
                future.result()

    def run_forever(self, stop: threading.Event) -> None:
        """Wake when the next entry is due (at least every RESYNC_S, for entries other PCs add
        and claims of dead dispatchers), until ``stop`` is set. A lost database connection
        is waited out with backoff: the pass is run again once the database answers."""
        clock = self.ctx.clock
        jumps = JumpDetector(clock.now(), clock.monotonic())
        self.stopping = stop
        outages = 0
        try:
            with self._heartbeats():
                while not stop.is_set():
                    try:
                        report = self.run_once()
                        now = clock.now()
                        due = self.store.next_due_time(now)
                    except ServiceError as refusal:  # no valid policy yet: say so, try again
                        log.error("dispatch refused: %s", refusal)
                        stop.wait(RESYNC_S)
                        continue
                    except Exception as error:
                        if not is_database_outage(error):
                            raise
                        self._outage(error)
                        stop.wait(backoff(outages))
                        outages += 1
                        continue
                    if outages or self._told:
                        outages = 0
                        log.info("the database is reachable again")
                        self._tell(None)
                    if report.handled:
                        log.info("dispatch: %s", report.summary())
                    self._wait_for_due(stop, seconds_until(now, due, resync=RESYNC_S))
                    jump = jumps.check(clock.now(), clock.monotonic())
                    if jump:
                        log.warning(
                            "the clock jumped by %.0f s (sleep/resume?): rescheduling", jump
                        )
        finally:
            self.close()

    def _wait_for_due(self, stop: threading.Event, seconds: float) -> None:
        """Sleep ``seconds``, looking every POLL_SECONDS (one indexed query) for an entry that
        fell due sooner: one queued meanwhile here or on another PC goes out within a second."""
        for _ in range(max(1, math.ceil(seconds / POLL_SECONDS))):
            if stop.wait(min(POLL_SECONDS, seconds)):
                return
            now = self.ctx.clock.now()
            try:
                due = self.store.next_due_time(now)
            except Exception as error:
                if not is_database_outage(error):
                    raise
                return  # the next pass waits the outage out, with backoff
            if due is not None and due <= now:
                return

    def _recover_if_due(self, report: DispatchReport) -> None:
        """Between entries of a long pass: a dead dispatcher's claims are still freed in time
        (stale after HEARTBEAT_STALE, looked for every RECOVERY_EVERY_S)."""
        if self.ctx.clock.monotonic() - self._recovered_at >= RECOVERY_EVERY_S:
            # Not our own claims: the rest of the current batch is ours and still to come.
            self.recover_orphans(self.ctx.clock.now(), report, own=False)
            self._recovered_at = self.ctx.clock.monotonic()

    def heartbeat(self) -> None:
        self.store.beat(self.host, self.ctx.login, os.getpid(), __version__)

    @contextmanager
    def _heartbeats(self) -> Iterator[None]:
        if self._beating:
            yield
            return
        self._beating = True
        try:
            with HeartbeatThread(self.heartbeat):
                yield
        finally:
            self._beating = False

    def _outage(self, error: BaseException) -> None:
        log.warning("the database is unreachable: %s", str(error).strip().splitlines()[0:1])
        self._tell(DATABASE_UNREACHABLE)

    def _tell(self, message: str | None) -> None:
        if message == self._told:
            return
        self._told = message
        if self.on_outage is not None:
            self.on_outage(message)

    def _durably(self, work: Callable[[], bool]) -> bool:
        """A write that must not be lost (the outcome of a request that left): retried
        through database outages until it commits, or until we are stopped."""
        outages: list[BaseException] = []

        def attempt() -> bool:
            if outages:  # back after an outage: say we are alive before others recover us
                self.heartbeat()
            return work()

        def note(error: BaseException) -> None:
            outages.append(error)
            self._outage(error)

        return retry_through_outage(attempt, self.stopping, on_outage=note)

    def close(self) -> None:
        self.publishers.close()
        try:
            self.store.remove_heartbeat(self.host)
        except Exception:  # the database may be gone at shutdown; the beat then goes stale
            log.debug("could not remove the heartbeat", exc_info=True)

    # -- one entry -------------------------------------------------------------------------

    def process(
        self,
        entry: Entry,
        report: DispatchReport,
        read: Mapping[int, Item] | None = None,
        channels: Mapping[str, Channel] | None = None,
    ) -> None:
        """Send one claimed entry. ``read``/``channels``: its item and channel as read for
        this batch (its entries are all `sending`, so the item cannot be edited meanwhile)."""
        now = self.ctx.clock.now()
        item = (read or {}).get(entry.item_id) or self.store.get_item(entry.item_id)
        channel = (channels or {}).get(entry.channel_key) or self.store.get_channel(
            entry.channel_key
        )
        assert item is not None
        assert channel is not None
        refusal = self._send_time_refusal(item, now)
        if refusal is not None:
            self._finish(entry, S.HELD, report.held, "entry.held", last_error=refusal)
            return
        slot = self._pace(entry, channel, now)
        if slot is not None:
            message = pacing_message(self._in_force().localize(slot))
            self._finish(
                entry, S.RETRY_WAIT, report.paced, "entry.paced", next_attempt_at=slot,
                last_error=message,
            )  # fmt: skip
            return
        try:
            publisher = self.publishers.get(channel)
            result = self._publish(publisher, entry, item, channel)
        except send_checks.SendCheckError as refused:
            # Nothing of this entry was sent: a path, URL or file failed the send-time checks.
            self._finish(entry, S.FAILED, report.failed, "entry.refused", last_error=str(refused))
        except ClaimLostError:
            log.warning("entry %s was recovered by another dispatcher; not sending", entry.id)
            self._versions.pop(entry.id, None)
            return
        except CredentialsError as error:
            self._finish(entry, S.FAILED, report.failed, "entry.failed", last_error=str(error))
        except PublishError as error:
            self._on_error(entry, channel, error, report)
        except Exception as error:  # a bug of ours mid-publish: outcome unknown
            if is_database_outage(error):
                # Not an outcome: the pass is run again once the database answers, and this
                # claim is recovered by what `request_started_at` says.
                self._versions.pop(entry.id, None)
                raise
            log.exception("unexpected error publishing entry %s", entry.id)
            kind = ErrorKind.TRANSIENT if is_retry_safe(channel) else ErrorKind.UNKNOWN
            self._on_error(entry, channel, PublishError(kind, f"内部エラー: {error}"), report)
        else:
            self._finish(
                entry,
                S.PUBLISHED,
                report.published,
                "entry.published",
                remote_id=result.remote_id,
                remote_url=result.remote_url,
                published_at=self.ctx.clock.now(),
                last_error=None,
                resume_state=None,
            )

    def _in_force(self) -> PostingPolicy:
        if self.policy is None:
            self.policy = policy_in_force(self.ctx)
        return self.policy

    def _pace(self, entry: Entry, channel: Channel, now: datetime) -> datetime | None:
        """None to send now; otherwise the slot (under the account's rate limit) to wait for."""
        slot = self._slots.pop(entry.id, None)
        if slot is not None and slot <= now:
            return None  # its reserved slot has come
        slot = self.pacer.reserve(channel.key, channel.platform, now)
        if slot <= now:
            return None
        if not self._in_force().check(slot).allowed and self._send_time_refusal_at(entry, slot):
            return self._in_force().next_allowed(slot)  # asks the bucket again then
        self._slots[entry.id] = slot
        return slot

    def _send_time_refusal(self, item: Item, now: datetime) -> str | None:
        decision = self._in_force().check(now)
        if decision.allowed:
            return None
        verdict = approvals.verify_for_dispatch(self.ctx, item, now)
        if verdict.valid:
            return None
        if verdict.suspicious:
            audit.record(
                self.ctx,
                "override.refused",
                f"item:{item.id}",
                {"request": verdict.request_id, "why": verdict.reason},
                actor=f"dispatcher@{self.host}",
            )
        reasons = self._in_force().describe(decision.reasons, decision.holiday_name)
        nxt = self._in_force().next_allowed(now)
        return (
            f"投稿時間外のため保留しました（{reasons}。{verdict.reason}）。"
            f"次に投稿できるのは {format_instant(nxt)} です。"
        )

    def _publish(
        self, publisher: Publisher, entry: Entry, item: Item, channel: Channel
    ) -> PublishResult:
        versions = self._versions
        versions[entry.id] = entry.version

        def save_resume(value: str) -> None:
            # Stored before the upload goes on, so a crash resumes from the same session.
            if self.store.transition(
                entry.id, S.SENDING, versions[entry.id], S.SENDING, resume_state=value
            ):
                versions[entry.id] += 1

        def report_progress(done: int, total: int) -> None:
            if self.progress is not None:
                self.progress(entry, done, total)

        checked = send_checks.check_entry(self.ctx, entry, item, channel.platform)
        request = PublishRequest(
            entry_id=entry.id,
            text=entry.text,
            media=checked.media,
            title=entry.title,
            idempotency_key=entry.idempotency_key,
            image_urls=checked.image_urls,
            resume_state=checked.resume_state,
        )
        # Its own committed step just before the request leaves: a crash after it means "may
        # have left"; losing this CAS means another dispatcher recovered the entry.
        if not self.store.mark_request_started(entry.id, versions[entry.id], self.ctx.clock.now()):
            raise ClaimLostError(entry.id)
        versions[entry.id] += 1
        return publisher.publish(request, progress=report_progress, save_resume=save_resume)

    def _on_error(
        self, entry: Entry, channel: Channel, error: PublishError, report: DispatchReport
    ) -> None:
        attempts = entry.attempts + 1
        if error.kind is ErrorKind.UNKNOWN:
            message = (
                f"送信結果が不明です（{error.message_ja}）。{channel.display_name} で投稿されたか"
                "確認し、「投稿済みにする」か「再送信」を選んでください。"
            )
            self._finish(
                entry,
                S.UNKNOWN,
                report.unknown,
                "entry.unknown",
                attempts=attempts,
                last_error=message,
            )
        elif error.kind is ErrorKind.PERMANENT or self.retry.exhausted(attempts):
            self._finish(
                entry,
                S.FAILED,
                report.failed,
                "entry.failed",
                attempts=attempts,
                last_error=error.message_ja,
            )
        else:
            now = self.ctx.clock.now()
            when = self.retry.next_attempt(now, attempts, error.retry_after, self.rand)
            if not self._in_force().check(when).allowed and self._send_time_refusal_at(entry, when):
                when = self._in_force().next_allowed(when)
            self._finish(
                entry,
                S.RETRY_WAIT,
                report.retrying,
                "entry.retry",
                attempts=attempts,
                next_attempt_at=when,
                last_error=error.message_ja,
            )

    def _send_time_refusal_at(self, entry: Entry, when: datetime) -> bool:
        item = self.store.get_item(entry.item_id)
        assert item is not None
        return not approvals.verify_for_dispatch(self.ctx, item, when).valid

    def _finish(
        self,
        entry: Entry,
        new_state: EntryState,
        bucket: list[int],
        action: str,
        **fields: object,
    ) -> None:
        """Record an outcome and its audit row in one transaction, through outages."""
        version = self._versions.pop(entry.id, entry.version)
        details = {
            k: v
            for k, v in fields.items()
            if k in ("remote_id", "remote_url", "last_error", "attempts")
        }
        if new_state is not S.SENDING:
            fields.setdefault("request_started_at", None)

        def record() -> bool:
            row = audit.pending(
                self.ctx,
                action,
                f"entry:{entry.id}",
                {"channel": entry.channel_key, "item": entry.item_id, **details},
                actor=f"dispatcher@{self.host}",
            )
            return self.store.transition(
                entry.id,
                S.SENDING,
                version,
                new_state,
                audit=row,
                **fields,  # type: ignore[arg-type]
            )

        if not self._durably(record):
            log.error(
                "entry %s changed under the dispatcher; not recorded as %s", entry.id, new_state
            )
            return
        bucket.append(entry.id)

    # -- housekeeping ----------------------------------------------------------------------

    def expire_requests(self, now: datetime) -> None:
        self.recovery.expire_requests(now)

    def recover_orphans(self, now: datetime, report: DispatchReport, *, own: bool = True) -> None:
        self.recovery.recover_orphans(now, report, own=own)

    def _release(self, entries: list[Entry], report: DispatchReport) -> None:
        """Claimed but not started when asked to stop: back in the queue for anyone."""
        for entry in entries:
            self._finish(
                entry,
                S.RETRY_WAIT,
                report.retrying,
                "entry.released",
                next_attempt_at=self.ctx.clock.now(),
                claimed_by=None,
            )
