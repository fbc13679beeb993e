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
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kodaira_desktop import __version__
from kodaira_desktop.dispatch.pacing import Pacer, pacing_message
from kodaira_desktop.dispatch.retry import RetryPolicy
from kodaira_desktop.dispatch.wakeup import JumpDetector, seconds_until
from kodaira_desktop.domain.records import Channel, Entry, Item
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.platforms.base import (
    CredentialsError,
    ErrorKind,
    MediaFile,
    Publisher,
    PublishError,
    PublishRequest,
    PublishResult,
)
from kodaira_desktop.services import approvals, audit
from kodaira_desktop.services.context import AppContext
from kodaira_desktop.services.media import stored_path

log = logging.getLogger(__name__)

S = EntryState
PublisherFactory = Callable[[Channel, Mapping[str, str]], Publisher]
ProgressHook = Callable[[Entry, int, int], None]

#: An entry left in `sending` this long by a dispatcher that died is recovered.
STALE_CLAIM = timedelta(minutes=15)
HEARTBEAT_SECONDS = 30.0
#: While sleeping, look this often for entries that fell due sooner (added meanwhile).
POLL_SECONDS = 0.5


@dataclass
class DispatchReport:
    published: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    #: Put off to stay under the service's rate limit (dispatch/pacing.py).
    paced: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        lists = (self.published, self.retrying, self.failed, self.unknown, self.held, self.paced)
        return sum(map(len, lists))

    def summary(self) -> str:
        return (
            f"published {len(self.published)}, retrying {len(self.retrying)}, "
            f"failed {len(self.failed)}, unknown {len(self.unknown)}, held {len(self.held)}"
        )


def host_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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
        pacer: Pacer | None = None,
    ) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.retry = retry or RetryPolicy()
        self.rand = rand
        self.progress = progress
        self.host = host_id()
        self.client_timeout = client_timeout
        self._factory = publisher_factory or self._make_publisher
        self._publishers: dict[str, Publisher] = {}
        #: The version of each entry being sent, as progress (resume state) bumps it.
        self._versions: dict[int, int] = {}
        #: Per-account send slots under the documented rate limits; entry id -> its slot.
        self.pacer = pacer or Pacer()
        self._slots: dict[int, datetime] = {}

    # -- the loop ----------------------------------------------------------------------------

    def run_once(self) -> DispatchReport:
        """Publish everything due now, then return."""
        report = DispatchReport()
        now = self.ctx.clock.now()
        self.heartbeat()
        self.expire_requests(now)
        self.recover_stale(now, report)
        while True:
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
            for entry in entries:
                self.process(entry, report, items, channels)

        if len(by_channel) == 1:
            run(claimed)
            return

        with ThreadPoolExecutor(len(by_channel), thread_name_prefix="dispatch") as pool:
            for future in [pool.submit(run, entries) for entries in by_channel.values()]:
                future.result()

    def run_forever(self, stop: threading.Event) -> None:
        """Wake when the next entry is due (at least every RESYNC seconds, for entries other
        PCs add), until ``stop`` is set."""
        clock = self.ctx.clock
        jumps = JumpDetector(clock.now(), clock.monotonic())
        try:
            while not stop.is_set():
                report = self.run_once()
                if report.handled:
                    log.info("dispatch: %s", report.summary())
                now = clock.now()
                due = self.store.next_due_time(now)
                self._wait_for_due(stop, seconds_until(now, due, resync=HEARTBEAT_SECONDS))
                jump = jumps.check(clock.now(), clock.monotonic())
                if jump:
                    log.warning("the clock jumped by %.0f s (sleep/resume?): rescheduling", jump)
        finally:
            self.close()

    def _wait_for_due(self, stop: threading.Event, seconds: float) -> None:
        """Sleep ``seconds``, looking every POLL_SECONDS (one indexed query) for an entry that
        fell due sooner: one queued meanwhile here or on another PC goes out within a second."""
        for _ in range(max(1, math.ceil(seconds / POLL_SECONDS))):
            if stop.wait(min(POLL_SECONDS, seconds)):
                return
            now = self.ctx.clock.now()
            due = self.store.next_due_time(now)
            if due is not None and due <= now:
                return

    def heartbeat(self) -> None:
        self.store.beat(self.host, self.ctx.login, os.getpid(), __version__)

    def close(self) -> None:
        for publisher in self._publishers.values():
            publisher.close()
        self._publishers.clear()
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
            message = pacing_message(self.ctx.policy.localize(slot))
            self._finish(
                entry, S.RETRY_WAIT, report.paced, "entry.paced", next_attempt_at=slot,
                last_error=message,
            )  # fmt: skip
            return
        try:
            publisher = self._publisher(channel)
            result = self._publish(publisher, entry, item, channel)
        except CredentialsError as error:
            self._finish(entry, S.FAILED, report.failed, "entry.failed", last_error=str(error))
        except PublishError as error:
            self._on_error(entry, channel, error, report)
        except Exception as error:  # a bug of ours mid-publish: outcome unknown
            log.exception("unexpected error publishing entry %s", entry.id)
            kind = ErrorKind.TRANSIENT if self._idempotent(channel) else ErrorKind.UNKNOWN
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

    def _pace(self, entry: Entry, channel: Channel, now: datetime) -> datetime | None:
        """None to send now; otherwise the slot (under the account's rate limit) to wait for."""
        slot = self._slots.pop(entry.id, None)
        if slot is not None and slot <= now:
            return None  # its reserved slot has come
        slot = self.pacer.reserve(channel.key, channel.platform, now)
        if slot <= now:
            return None
        if not self.ctx.policy.check(slot).allowed and self._send_time_refusal_at(entry, slot):
            return self.ctx.policy.next_allowed(slot)  # asks the bucket again then
        self._slots[entry.id] = slot
        return slot

    def _send_time_refusal(self, item: Item, now: datetime) -> str | None:
        decision = self.ctx.policy.check(now)
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
        reasons = self.ctx.policy.describe(decision.reasons, decision.holiday_name)
        nxt = self.ctx.policy.next_allowed(now)
        return (
            f"投稿時間外のため保留しました（{reasons}。{verdict.reason}）。"
            f"次に投稿できるのは {nxt:%Y-%m-%d %H:%M} です。"
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

        request = PublishRequest(
            entry_id=entry.id,
            text=entry.text,
            media=self._media(item, channel.platform),
            title=entry.title,
            idempotency_key=entry.idempotency_key,
            image_urls=tuple(m.public_url for m in item.media if m.public_url),
            resume_state=entry.resume_state,
        )
        return publisher.publish(request, progress=report_progress, save_resume=save_resume)

    def _media(self, item: Item, platform: str) -> tuple[MediaFile, ...]:
        files = [
            MediaFile(stored_path(self.ctx, m.media), m.media.mime, m.media.sha256, m.media.size)
            for m in item.media
        ]
        if platform == "youtube":
            return tuple(f for f in files if f.mime.startswith("video/"))
        if platform == "line":
            return ()
        images = [f for f in files if f.mime.startswith("image/")]
        return tuple(images or [f for f in files if f.mime.startswith("video/")][:1])

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
            if not self.ctx.policy.check(when).allowed and self._send_time_refusal_at(entry, when):
                when = self.ctx.policy.next_allowed(when)
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
        version = self._versions.pop(entry.id, entry.version)
        if not self.store.transition(entry.id, S.SENDING, version, new_state, **fields):  # type: ignore[arg-type]
            log.error(
                "entry %s changed under the dispatcher; not recorded as %s", entry.id, new_state
            )
            return
        bucket.append(entry.id)
        details = {
            k: v
            for k, v in fields.items()
            if k in ("remote_id", "remote_url", "last_error", "attempts")
        }
        audit.record(
            self.ctx,
            action,
            f"entry:{entry.id}",
            {"channel": entry.channel_key, "item": entry.item_id, **details},
            actor=f"dispatcher@{self.host}",
        )

    # -- housekeeping ----------------------------------------------------------------------

    def expire_requests(self, now: datetime) -> None:
        """Emergency requests whose window passed unanswered: their entries are held."""
        for request in self.store.list_pending_overrides():
            if request.window_end >= now:
                continue
            if not self.store.decide_override(request.id, "expired", decided_by="system"):
                continue
            item = self.store.get_item(request.item_id)
            for entry in item.entries if item else ():
                if entry.state == S.AWAITING_APPROVAL:
                    self.store.transition(
                        entry.id,
                        entry.state,
                        entry.version,
                        S.HELD,
                        last_error="緊急投稿の承認期限が過ぎました。",
                    )
            audit.record(
                self.ctx,
                "override.expired",
                f"item:{request.item_id}",
                {},
                actor=f"dispatcher@{self.host}",
            )

    def recover_stale(self, now: datetime, report: DispatchReport) -> None:
        """Entries a dead dispatcher left in `sending`: never re-sent blindly."""
        for entry in self.store.sending_claimed_before(now - STALE_CLAIM):
            channel = self.store.get_channel(entry.channel_key)
            if channel is not None and self._idempotent(channel):
                self._finish(
                    entry,
                    S.RETRY_WAIT,
                    report.retrying,
                    "entry.recovered",
                    next_attempt_at=now,
                    last_error="送信中に中断されました。再開します。",
                )
            else:
                self._finish(
                    entry,
                    S.UNKNOWN,
                    report.unknown,
                    "entry.unknown",
                    last_error="送信中に中断されました。投稿されたか確認してください。",
                )

    def _idempotent(self, channel: Channel) -> bool:
        from kodaira_desktop.platforms.registry import RETRY_SAFE_PLATFORMS

        return channel.platform in RETRY_SAFE_PLATFORMS

    def _publisher(self, channel: Channel) -> Publisher:
        publisher = self._publishers.get(channel.key)
        if publisher is None:
            from kodaira_desktop.platforms.registry import REQUIRED_FIELDS

            try:
                credentials = self.ctx.secrets.get_channel_credentials(
                    channel.key, REQUIRED_FIELDS[channel.platform]
                )
            except Exception as error:
                raise CredentialsError(
                    f"{channel.display_name} の認証情報がありません。課長が "
                    f"`kodaira-desktop credentials set {channel.key}` で登録してください。"
                ) from error
            publisher = self._factory(channel, credentials)
            self._publishers[channel.key] = publisher
        return publisher

    def _make_publisher(self, channel: Channel, credentials: Mapping[str, str]) -> Publisher:
        from kodaira_desktop.platforms.registry import make_publisher

        return make_publisher(
            channel.platform, credentials, self.ctx.endpoints, timeout=self.client_timeout
        )
