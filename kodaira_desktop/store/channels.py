"""Channels: the accounts items are posted to, and their suspension switch."""

from __future__ import annotations

from sqlalchemy import select

from kodaira_desktop.domain.records import Channel
from kodaira_desktop.store import convert
from kodaira_desktop.store._base import StoreBase
from kodaira_desktop.store.errors import NotFoundError
from kodaira_desktop.store.tables import ChannelRow


class ChannelStore(StoreBase):
    def list_channels(self) -> list[Channel]:
        with self._db.read() as session:
            rows = session.scalars(select(ChannelRow).order_by(ChannelRow.key))
            return [convert.channel(row) for row in rows]

    def get_channel(self, key: str) -> Channel | None:
        with self._db.read() as session:
            row = session.get(ChannelRow, key)
            return convert.channel(row) if row else None

    def add_channel(
        self, key: str, platform: str, display_name: str, handle: str | None = None
    ) -> Channel:
        with self._db.write() as session:
            row = ChannelRow(
                key=key,
                platform=platform,
                handle=handle,
                display_name=display_name,
                suspended=False,
            )
            session.add(row)
            session.flush()
            return convert.channel(row)

    def set_suspended(
        self, key: str, suspended: bool, *, reason: str | None = None, by: str | None = None
    ) -> Channel:
        """Suspend (no entry of the channel is claimed) or resume a channel."""
        with self._db.write() as session:
            row = session.get(ChannelRow, key, with_for_update=True)
            if row is None:
                raise NotFoundError(f"no channel {key!r}")
            row.suspended = suspended
            row.suspended_reason = reason if suspended else None
            row.suspended_at = self._now() if suspended else None
            row.suspended_by = by if suspended else None
            session.flush()
            return convert.channel(row)

    def set_handle(self, key: str, handle: str | None) -> Channel:
        """The account's public name as the service reported it (X: the @handle), shown in
        the composer's previews."""
        with self._db.write() as session:
            row = session.get(ChannelRow, key, with_for_update=True)
            if row is None:
                raise NotFoundError(f"no channel {key!r}")
            row.handle = handle
            session.flush()
            return convert.channel(row)
