"""Planning ahead: the items of one repeat share a series id (``queue cancel --series``);
each attached image keeps its alt text (代替テキスト); saved texts (定型文) in ``templates``.

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("series_id", sa.String(36), nullable=True))
        batch.create_index("ix_items_series_id", ["series_id"])
    with op.batch_alter_table("item_media") as batch:
        batch.add_column(sa.Column("alt_text", sa.Text(), nullable=True))

    op.create_table(
        "templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channels", sa.Text(), nullable=False),
        sa.Column("category", sa.String(64), nullable=True),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_templates"),
        sa.UniqueConstraint("name", "owner", name="uq_templates_name_owner"),
    )


def downgrade() -> None:
    op.drop_table("templates")
    with op.batch_alter_table("item_media") as batch:
        batch.drop_column("alt_text")
    with op.batch_alter_table("items") as batch:
        batch.drop_index("ix_items_series_id")
        batch.drop_column("series_id")
