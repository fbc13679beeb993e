"""The dispatcher's side: compare-and-set transitions and claiming due entries.

Every state change is ``UPDATE entries SET ..., version = version + 1 WHERE id = ? AND
state = ? AND version = ?``; whoever's UPDATE matches wins, anyone holding an older read
loses. That is what makes "published exactly once" hold across PCs.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Final, TypedDict, Unpack

from sqlalchemy import ColumnElement, and_, case, func, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from kodaira_desktop.domain.records import Entry
from kodaira_desktop.domain.states import EntryState, require_transition
from kodaira_desktop.store import entry_queries as eq
from kodaira_desktop.store._base import StoreBase, affected_rows
from kodaira_desktop.store.audit import AuditAppend, append_audit
from kodaira_desktop.store.tables import ChannelRow, EntryRow, HeartbeatRow
from kodaira_desktop.store.types import UTCDateTime, require_aware

DEFAULT_CLAIM_BATCH = 20


class EntryFields(TypedDict, total=False):
    """Columns a transition may set along with the state."""

    scheduled_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    resume_state: str | None
    remote_id: str | None
    remote_url: str | None
    last_error: str | None
    claimed_by: str | None
    claimed_at: datetime | None
    request_started_at: datetime | None
    published_at: datetime | None


_FIELD_NAMES: Final = frozenset(EntryFields.__annotations__)
_DATETIME_FIELDS: Final = frozenset(
    {"scheduled_at", "next_attempt_at", "claimed_at", "request_started_at", "published_at"}
)


class ClaimStore(StoreBase):
    def transition(
        self,
        entry_id: int,
        expected_state: EntryState,
        expected_version: int,
        new_state: EntryState,
        *,
        audit: AuditAppend | None = None,
        **fields: Unpack[EntryFields],
    ) -> bool:
        """Move an entry to ``new_state`` if it is still as the caller last saw it.

        ``audit``, when given, is appended to the audit log in the same transaction: the
        change and its record commit together or not at all (nothing when the CAS loses).
        Returns False when someone else changed it first (stale state or version); raises
        :class:`~kodaira_desktop.domain.states.TransitionError` for a change the life cycle
        never allows.
        """
        require_transition(expected_state, new_state)
        values = _checked(dict(fields))
        values["updated_at"] = self._now()
        with self._db.write() as session:
            won = _cas(session, entry_id, expected_state, expected_version, new_state, values)
            if won and audit is not None:
                append_audit(session, audit.fields, audit.compute_hash)
            return won

    def mark_request_started(self, entry_id: int, expected_version: int, now: datetime) -> bool:
        """Commit, in its own step, that the request of a claimed entry is about to leave.

        False when the claim was lost (recovered by another dispatcher): the caller must not
        send. After a crash, ``request_started_at`` tells "may have left" from "never sent".
        """
        values: dict[str, object] = {
            "request_started_at": require_aware(now, "now"),
            "updated_at": self._now(),
        }
        with self._db.write() as session:
            return _cas(
                session, entry_id, EntryState.SENDING, expected_version, EntryState.SENDING, values
            )

    def orphaned_claims(self, alive_since: datetime, also: Collection[str] = ()) -> list[Entry]:
        """Entries in ``sending`` whose dispatcher is gone: no heartbeat since
        ``alive_since`` (killed, PC off, network lost), none at all, or one of ``also``
        (claimers known to be dead, or the caller's own leftovers between passes)."""
        alive_since = require_aware(alive_since, "alive_since")
        alive = select(HeartbeatRow.host_id).where(HeartbeatRow.last_seen >= alive_since)
        gone = or_(EntryRow.claimed_by.is_(None), EntryRow.claimed_by.not_in(alive))
        if also:
            gone = or_(gone, EntryRow.claimed_by.in_(list(also)))
        query = eq.ordered(
            eq.entries_query().where(EntryRow.state == EntryState.SENDING.value, gone)
        )
        with self._db.read() as session:
            return eq.load_entries(session, query)

    def claim_due(
        self, now: datetime, claimer: str, limit: int = DEFAULT_CLAIM_BATCH
    ) -> list[Entry]:
        """Claim up to ``limit`` due entries for sending; each is claimed by one caller only.

        Due means: ``scheduled`` with ``scheduled_at <= now``, or
        ``retry_wait`` with ``next_attempt_at <= now``; entries of suspended channels are
        skipped. Claimed entries are ``sending``, with ``claimed_by``/``claimed_at`` set. The
        dispatcher re-checks policy and approval and moves each on (or to ``held``).
        """
        now = require_aware(now, "now")
        query = (
            select(EntryRow.id, EntryRow.state, EntryRow.version)
            .join(ChannelRow, ChannelRow.key == EntryRow.channel_key)
            .where(ChannelRow.suspended.is_(False), _due(now))
            .order_by(_due_at(), EntryRow.id)
            .limit(limit)
        )
        values: dict[str, object] = {
            "claimed_by": claimer,
            "claimed_at": now,
            "request_started_at": None,
            "updated_at": self._now(),
        }
        with self._db.write() as session:
            if session.get_bind().dialect.name == "postgresql":
                # Lets two dispatchers take different rows instead of queueing on the same
                # ones; the CAS below is still what guarantees a single winner.
                query = query.with_for_update(skip_locked=True, of=EntryRow)
            claimed = [
                entry_id
                for entry_id, state, version in session.execute(query).all()
                if _cas(session, entry_id, EntryState(state), version, EntryState.SENDING, values)
            ]
            return eq.load_by_ids(session, claimed)

    def next_due_time(self, now: datetime) -> datetime | None:
        """When the dispatcher should next wake: ``now`` if something is due already, the
        earliest future due time otherwise, None when nothing is waiting."""
        now = require_aware(now, "now")
        query = (
            select(type_coerce(func.min(_due_at()), UTCDateTime()))
            .join(ChannelRow, ChannelRow.key == EntryRow.channel_key)
            .where(ChannelRow.suspended.is_(False), _claimable())
        )
        with self._db.read() as session:
            earliest = session.scalar(query)
        return None if earliest is None else max(earliest, now)

    def sending_claimed_before(self, cutoff: datetime) -> list[Entry]:
        """Entries stuck in ``sending`` (their dispatcher probably died), for recovery."""
        cutoff = require_aware(cutoff, "cutoff")
        query = eq.ordered(
            eq.entries_query().where(
                EntryRow.state == EntryState.SENDING.value, EntryRow.claimed_at < cutoff
            )
        )
        with self._db.read() as session:
            return eq.load_entries(session, query)


def _claimable() -> ColumnElement[bool]:
    return or_(
        EntryRow.state == EntryState.SCHEDULED.value,
        and_(EntryRow.state == EntryState.RETRY_WAIT.value, EntryRow.next_attempt_at.is_not(None)),
    )


def _due_at() -> ColumnElement[datetime]:
    return case(
        (EntryRow.state == EntryState.RETRY_WAIT.value, EntryRow.next_attempt_at),
        else_=EntryRow.scheduled_at,
    )


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(
            EntryRow.state == EntryState.SCHEDULED.value,
            EntryRow.scheduled_at <= now,
        ),
        and_(EntryRow.state == EntryState.RETRY_WAIT.value, EntryRow.next_attempt_at <= now),
    )


def _checked(fields: dict[str, object]) -> dict[str, object]:
    if unknown := set(fields) - _FIELD_NAMES:
        raise TypeError(f"transition cannot set {', '.join(sorted(unknown))}")
    for name in _DATETIME_FIELDS & set(fields):
        value = fields[name]
        if isinstance(value, datetime):
            fields[name] = require_aware(value, name)
    return fields


def _cas(
    session: Session,
    entry_id: int,
    expected_state: EntryState,
    expected_version: int,
    new_state: EntryState,
    values: dict[str, object],
) -> bool:
    changed = affected_rows(
        session,
        update(EntryRow)
        .where(
            EntryRow.id == entry_id,
            EntryRow.state == expected_state.value,
            EntryRow.version == expected_version,
        )
        .values(state=new_state.value, version=EntryRow.version + 1, **values),
    )
    return changed == 1
