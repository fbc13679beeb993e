"""Core tables: channels, users, items, entries, media, override requests, audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen here on purpose: a later change to EntryState needs its own migration.
ENTRY_STATES = (
    "draft",
    "scheduled",
    "awaiting_approval",
    "sending",
    "retry_wait",
    "published",
    "failed",
    "unknown",
    "held",
    "cancelled",
)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("handle", sa.String(255), nullable=True),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("suspended", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("suspended_reason", sa.Text(), nullable=True),
        sa.Column("suspended_at", _utc(), nullable=True),
        sa.Column("suspended_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_channels"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=True),
        sa.Column("encrypted_private_key", sa.LargeBinary(), nullable=True),
        sa.Column("kdf_params", sa.Text(), nullable=True),
        sa.Column("endorsed_by", sa.String(64), nullable=True),
        sa.Column("endorsement", sa.LargeBinary(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", _utc(), nullable=True),
        sa.CheckConstraint("role IN ('staff', 'chief')", name="ck_users_role"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("login", name="uq_users_login"),
    )
    op.create_table(
        "user_channels",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel_key", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_user_channels_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["channel_key"], ["channels.key"], name="fk_user_channels_channel_key_channels"
        ),
        sa.PrimaryKeyConstraint("user_id", "channel_key", name="pk_user_channels"),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(64), nullable=True),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
    )
    states = ", ".join(f"'{state}'" for state in ENTRY_STATES)
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("channel_key", sa.String(64), nullable=False),
        sa.Column("text_override", sa.Text(), nullable=True),
        sa.Column("title", sa.String(255), nullable=True),
        sa.Column("scheduled_at", _utc(), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", _utc(), nullable=True),
        sa.Column("idempotency_key", sa.String(36), nullable=False),
        sa.Column("resume_state", sa.Text(), nullable=True),
        sa.Column("remote_id", sa.String(255), nullable=True),
        sa.Column("remote_url", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(255), nullable=True),
        sa.Column("claimed_at", _utc(), nullable=True),
        sa.Column("published_at", _utc(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(f"state IN ({states})", name="ck_entries_state"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_entries_item_id_items"),
        sa.ForeignKeyConstraint(
            ["channel_key"], ["channels.key"], name="fk_entries_channel_key_channels"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_entries"),
        sa.UniqueConstraint("item_id", "channel_key", name="uq_entries_item_id_channel_key"),
        sa.UniqueConstraint("idempotency_key", name="uq_entries_idempotency_key"),
    )
    op.create_index("ix_entries_state_scheduled_at", "entries", ["state", "scheduled_at"])
    op.create_index("ix_entries_state_next_attempt_at", "entries", ["state", "next_attempt_at"])
    op.create_table(
        "media",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("mime", sa.String(127), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("stored_name", sa.String(255), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_media"),
    )
    op.create_table(
        "item_media",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("public_url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_item_media_item_id_items"),
        sa.ForeignKeyConstraint(["sha256"], ["media.sha256"], name="fk_item_media_sha256_media"),
        sa.PrimaryKeyConstraint("item_id", "sha256", name="pk_item_media"),
    )
    op.create_table(
        "override_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("window_start", _utc(), nullable=False),
        sa.Column("window_end", _utc(), nullable=False),
        sa.Column("requested_at", _utc(), nullable=False),
        sa.Column("status", sa.String(16), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", _utc(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("payload_hash", sa.String(128), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'expired')",
            name="ck_override_requests_status",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name="fk_override_requests_item_id_items"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_override_requests"),
    )
    op.create_index("ix_override_requests_status", "override_requests", ["status"])
    op.create_index("ix_override_requests_item_id", "override_requests", ["item_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(128), nullable=False),
        sa.Column("hash", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
        sa.UniqueConstraint("hash", name="uq_audit_log_hash"),
    )


def downgrade() -> None:
    for table in (
        "audit_log",
        "override_requests",
        "item_media",
        "media",
        "entries",
        "items",
        "user_channels",
        "users",
        "channels",
    ):
        op.drop_table(table)
