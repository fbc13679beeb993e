"""Planning ahead: the items of one repeat share a series id (``queue cancel --series``);
each attached image keeps its alt text (代替テキスト).

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("series_id", sa.String(36), nullable=True))
        batch.create_index("ix_items_series_id", ["series_id"])
    with op.batch_alter_table("item_media") as batch:
        batch.add_column(sa.Column("alt_text", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("item_media") as batch:
        batch.drop_column("alt_text")
    with op.batch_alter_table("items") as batch:
        batch.drop_index("ix_items_series_id")
        batch.drop_column("series_id")
