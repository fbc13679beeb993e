"""定型文 (saved texts), shared through the database or kept by their owner."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_, select

from kodaira_desktop.domain.templates import Template
from kodaira_desktop.store._base import StoreBase, affected_rows
from kodaira_desktop.store.tables import TemplateRow


class TemplateStore(StoreBase):
    def list_templates(self, login: str) -> list[Template]:
        """The shared templates and ``login``'s own, by name (shared first on a tie)."""
        with self._db.read() as session:
            rows = session.scalars(
                select(TemplateRow)
                .where(or_(TemplateRow.owner.is_(None), TemplateRow.owner == login))
                .order_by(TemplateRow.name, TemplateRow.owner.is_not(None))
            )
            return [_template(row) for row in rows]

    def save_template(
        self,
        *,
        name: str,
        text: str,
        channels: Sequence[str],
        category: str | None,
        owner: str | None,
        updated_by: str,
    ) -> Template:
        """Create, or replace the one of the same name and owner."""
        with self._db.write() as session:
            owner_clause = (
                TemplateRow.owner.is_(None) if owner is None else TemplateRow.owner == owner
            )
            row = session.scalar(
                select(TemplateRow).where(TemplateRow.name == name, owner_clause).with_for_update()
            )
            if row is None:
                row = TemplateRow(name=name, owner=owner)
                session.add(row)
            row.text = text
            row.channels = ",".join(channels)
            row.category = category
            row.updated_by = updated_by
            row.updated_at = self._now()
            session.flush()
            return _template(row)

    def delete_template(self, name: str, owner: str | None) -> bool:
        owner_clause = TemplateRow.owner.is_(None) if owner is None else TemplateRow.owner == owner
        with self._db.write() as session:
            statement = delete(TemplateRow).where(TemplateRow.name == name, owner_clause)
            return affected_rows(session, statement) > 0


def _template(row: TemplateRow) -> Template:
    return Template(
        id=row.id,
        name=row.name,
        text=row.text,
        channels=tuple(key for key in row.channels.split(",") if key),
        category=row.category,
        owner=row.owner,
    )
