"""Indexes for the queue views: the table pages, sorts and filters in SQL, the calendar reads
a month by range, the audit view pages by time.

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_entries_scheduled_at_id", "entries", ["scheduled_at", "id"])
    op.create_index(
        "ix_entries_channel_key_scheduled_at", "entries", ["channel_key", "scheduled_at"]
    )
    op.create_index("ix_entries_item_id", "entries", ["item_id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", "audit_log")
    op.drop_index("ix_entries_item_id", "entries")
    op.drop_index("ix_entries_channel_key_scheduled_at", "entries")
    op.drop_index("ix_entries_scheduled_at_id", "entries")
