"""Precise recovery: when an entry's HTTP request was about to start.

A dispatcher commits ``request_started_at`` in its own step just before the request leaves.
An entry left in ``sending`` by a dead dispatcher without it was claimed but never sent, and
is simply queued again; with it, the request may have left (X/Facebook: ``unknown``).

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("entries", sa.Column("request_started_at", sa.DateTime(timezone=True)))
    op.create_index("ix_entries_state_claimed_by", "entries", ["state", "claimed_by"])


def downgrade() -> None:
    op.drop_index("ix_entries_state_claimed_by", table_name="entries")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("request_started_at")
