"""Heartbeats of running dispatchers, and the audit chain's locked tip.

``audit_head`` is backfilled from the existing log so the chain continues where it stopped.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: The first audit row's prev_hash (kept here: migrations never import app code).
GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "heartbeats",
        sa.Column("host_id", sa.String(255), nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("app_version", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("host_id", name="pk_heartbeats"),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(128), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.execute(
        "INSERT INTO audit_head (id, last_seq, last_hash) "
        "SELECT 1, COALESCE(MAX(seq), 0), "
        "COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '" + GENESIS + "') "
        "FROM audit_log"
    )


def downgrade() -> None:
    op.drop_table("audit_head")
    op.drop_table("heartbeats")
