"""Heartbeats: each running dispatcher says it is alive, so others (and staff) can see it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, select

from kodaira_desktop.domain.records import Heartbeat
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.store import convert
from kodaira_desktop.store._base import StoreBase, affected_rows, dialect_insert
from kodaira_desktop.store.tables import EntryRow, HeartbeatRow
from kodaira_desktop.store.types import require_aware


class HeartbeatStore(StoreBase):
    def beat(self, host_id: str, login: str, pid: int, app_version: str) -> Heartbeat:
        """Record that ``host_id`` is alive now; ``started_at`` restarts when the pid changes."""
        now = self._now()
        with self._db.write() as session:
            insert = dialect_insert(session, HeartbeatRow).values(
                host_id=host_id,
                login=login,
                pid=pid,
                started_at=now,
                last_seen=now,
                app_version=app_version,
            )
            new = insert.excluded
            session.execute(
                insert.on_conflict_do_update(
                    index_elements=["host_id"],
                    set_={
                        "login": new.login,
                        "started_at": case(
                            (HeartbeatRow.pid == new.pid, HeartbeatRow.started_at),
                            else_=new.started_at,
                        ),
                        "pid": new.pid,
                        "last_seen": new.last_seen,
                        "app_version": new.app_version,
                    },
                )
            )
            row = session.get(HeartbeatRow, host_id, populate_existing=True)
            assert row is not None
            return convert.heartbeat(row)

    def list_heartbeats(self) -> list[Heartbeat]:
        with self._db.read() as session:
            rows = session.scalars(select(HeartbeatRow).order_by(HeartbeatRow.host_id))
            return [convert.heartbeat(row) for row in rows]

    def prune_heartbeats(self, before: datetime) -> int:
        """Forget dispatchers silent since ``before`` that hold no claim any more (killed ones
        leave their row behind); returns how many."""
        before = require_aware(before, "before")
        holding = select(EntryRow.claimed_by).where(
            EntryRow.state == EntryState.SENDING.value, EntryRow.claimed_by.is_not(None)
        )
        with self._db.write() as session:
            return affected_rows(
                session,
                delete(HeartbeatRow).where(
                    HeartbeatRow.last_seen < before, HeartbeatRow.host_id.not_in(holding)
                ),
            )

    def remove_heartbeat(self, host_id: str) -> None:
        """Called on a clean shutdown."""
        with self._db.write() as session:
            session.execute(delete(HeartbeatRow).where(HeartbeatRow.host_id == host_id))
