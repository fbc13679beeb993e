"""Emergency override requests: staff ask, a chief approves or rejects (CAS on status)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from kodaira_desktop.domain.records import OverrideRequest, OverrideStatus
from kodaira_desktop.store import convert
from kodaira_desktop.store._base import StoreBase, affected_rows
from kodaira_desktop.store.errors import NotFoundError
from kodaira_desktop.store.tables import ItemRow, OverrideRequestRow
from kodaira_desktop.store.types import require_aware

DECISIONS: frozenset[OverrideStatus] = frozenset({"approved", "rejected", "expired"})


class OverrideStore(StoreBase):
    def create_override(
        self,
        *,
        item_id: int,
        requested_by: str,
        reason: str,
        window_start: datetime,
        window_end: datetime,
        payload_hash: str | None = None,
    ) -> OverrideRequest:
        start = require_aware(window_start, "window_start")
        end = require_aware(window_end, "window_end")
        if end < start:
            raise ValueError("the override window ends before it starts")
        with self._db.write() as session:
            if session.get(ItemRow, item_id) is None:
                raise NotFoundError(f"no item {item_id}")
            row = OverrideRequestRow(
                item_id=item_id,
                requested_by=requested_by,
                reason=reason,
                window_start=start,
                window_end=end,
                requested_at=self._now(),
                status="pending",
                payload_hash=payload_hash,
            )
            session.add(row)
            session.flush()
            return convert.override_request(row)

    def get_override(self, request_id: int) -> OverrideRequest | None:
        with self._db.read() as session:
            row = session.get(OverrideRequestRow, request_id)
            return convert.override_request(row) if row else None

    def list_overrides(
        self, *, status: OverrideStatus | None = None, item_id: int | None = None
    ) -> list[OverrideRequest]:
        query = select(OverrideRequestRow).order_by(OverrideRequestRow.id)
        if status is not None:
            query = query.where(OverrideRequestRow.status == status)
        if item_id is not None:
            query = query.where(OverrideRequestRow.item_id == item_id)
        with self._db.read() as session:
            return [convert.override_request(row) for row in session.scalars(query)]

    def list_pending_overrides(self) -> list[OverrideRequest]:
        return self.list_overrides(status="pending")

    def decide_override(
        self,
        request_id: int,
        status: OverrideStatus,
        *,
        decided_by: str,
        decision_reason: str | None = None,
        signature: bytes | None = None,
        payload_hash: str | None = None,
        expected_status: OverrideStatus = "pending",
        decided_at: datetime | None = None,
    ) -> bool:
        """Record a decision if the request is still ``expected_status``; False if not
        (another chief decided first)."""
        if status not in DECISIONS:
            raise ValueError(f"{status!r} is not a decision")
        values: dict[str, object] = {
            "status": status,
            "decided_by": decided_by,
            # A signed approval covers its own time: the caller passes the instant it signed.
            "decided_at": require_aware(decided_at, "decided_at") if decided_at else self._now(),
            "decision_reason": decision_reason,
            "signature": signature,
        }
        if payload_hash is not None:
            values["payload_hash"] = payload_hash
        with self._db.write() as session:
            changed = affected_rows(
                session,
                update(OverrideRequestRow)
                .where(
                    OverrideRequestRow.id == request_id,
                    OverrideRequestRow.status == expected_status,
                )
                .values(**values),
            )
            return changed == 1

    def expire_overrides(self, now: datetime) -> int:
        """Mark pending requests whose window has passed as expired; return how many."""
        now = require_aware(now, "now")
        with self._db.write() as session:
            changed = affected_rows(
                session,
                update(OverrideRequestRow)
                .where(OverrideRequestRow.status == "pending", OverrideRequestRow.window_end < now)
                .values(status="expired", decided_at=self._now()),
            )
            return changed
