"""retention: last contact on profiles and subscriptions, and the tombstone table

Revision ID: 0010_retention
Revises: 0009
Create Date: 2026-12-06 16:00:00

Issue 13 (finding 5): profiles and reminder subscriptions end after a period without contact,
so each keeps when the person last wrote (existing rows start from their last change or their
creation). /forget and "stop reminders" leave a tombstone, a hash, so the retention job can
apply them again after a backup is restored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0010_retention"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table, since in (("citizen_profile", "updated_at"),
                         ("reminder_subscription", "created_at")):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("last_seen_at", UTCDateTime(timezone=True), nullable=True))
        op.execute(f"UPDATE {table} SET last_seen_at = {since}")
        with op.batch_alter_table(table) as batch:
            batch.alter_column("last_seen_at", existing_type=UTCDateTime(timezone=True),
                               nullable=False)
            batch.create_index(f"ix_{table}_last_seen_at", ["last_seen_at"])
    op.create_table(
        "tombstone",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("deleted_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name="pk_tombstone"),
    )
    op.create_index("ix_tombstone_deleted_at", "tombstone", ["deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_tombstone_deleted_at", table_name="tombstone")
    op.drop_table("tombstone")
    for table in ("reminder_subscription", "citizen_profile"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_last_seen_at")
            batch.drop_column("last_seen_at")
