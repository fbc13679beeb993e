"""Media files (content-addressed by SHA-256) and their attachment to items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kodaira_desktop.domain.records import AttachedMedia, MediaRecord
from kodaira_desktop.store import convert
from kodaira_desktop.store._base import StoreBase, affected_rows, dialect_insert
from kodaira_desktop.store.errors import NotFoundError
from kodaira_desktop.store.tables import ItemMediaRow, ItemRow, MediaRow


class MediaStore(StoreBase):
    def add_media(
        self,
        *,
        sha256: str,
        mime: str,
        size: int,
        original_name: str,
        stored_name: str,
        width: int | None = None,
        height: int | None = None,
    ) -> MediaRecord:
        """Record a stored file; adding the same content again returns the first record."""
        with self._db.write() as session:
            insert = dialect_insert(session, MediaRow).values(
                sha256=sha256,
                mime=mime,
                size=size,
                original_name=original_name,
                stored_name=stored_name,
                width=width,
                height=height,
                created_at=self._now(),
            )
            session.execute(insert.on_conflict_do_nothing(index_elements=["sha256"]))
            row = session.get(MediaRow, sha256, populate_existing=True)
            assert row is not None
            return convert.media(row)

    def get_media(self, sha256: str) -> MediaRecord | None:
        with self._db.read() as session:
            row = session.get(MediaRow, sha256)
            return convert.media(row) if row else None

    def attach_media(
        self, item_id: int, sha256s: Sequence[str], public_urls: Mapping[str, str] | None = None
    ) -> list[AttachedMedia]:
        """Append media to an item's list; returns the item's whole list."""
        with self._db.write() as session:
            if session.get(ItemRow, item_id) is None:
                raise NotFoundError(f"no item {item_id}")
            attach(session, item_id, sha256s, public_urls or {})
            return item_media(session, item_id)

    def set_media_public_url(self, item_id: int, sha256: str, url: str | None) -> None:
        with self._db.write() as session:
            changed = affected_rows(
                session,
                update(ItemMediaRow)
                .where(ItemMediaRow.item_id == item_id, ItemMediaRow.sha256 == sha256)
                .values(public_url=url),
            )
            if changed != 1:
                raise NotFoundError(f"media {sha256} is not attached to item {item_id}")

    def media_for_item(self, item_id: int) -> list[AttachedMedia]:
        with self._db.read() as session:
            return item_media(session, item_id)


def attach(
    session: Session,
    item_id: int,
    sha256s: Sequence[str],
    public_urls: Mapping[str, str],
    alt_texts: Mapping[str, str] | None = None,
) -> None:
    if len(set(sha256s)) != len(sha256s):
        raise ValueError("the same media file is attached twice")
    known = set(session.scalars(select(MediaRow.sha256).where(MediaRow.sha256.in_(sha256s))))
    if missing := [sha for sha in sha256s if sha not in known]:
        raise NotFoundError(f"no media {', '.join(missing)}")
    last = session.scalar(
        select(func.max(ItemMediaRow.position)).where(ItemMediaRow.item_id == item_id)
    )
    first = 0 if last is None else last + 1
    session.add_all(
        ItemMediaRow(
            item_id=item_id,
            sha256=sha,
            position=first + i,
            public_url=public_urls.get(sha),
            alt_text=(alt_texts or {}).get(sha),
        )
        for i, sha in enumerate(sha256s)
    )
    session.flush()


def item_media(session: Session, item_id: int) -> list[AttachedMedia]:
    rows = session.execute(
        select(ItemMediaRow, MediaRow)
        .join(MediaRow, MediaRow.sha256 == ItemMediaRow.sha256)
        .where(ItemMediaRow.item_id == item_id)
        .order_by(ItemMediaRow.position)
    ).all()
    return [convert.attached_media(link, row) for link, row in rows]
