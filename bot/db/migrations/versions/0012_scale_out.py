"""scale-out: handled update ids, outbox send marks

Revision ID: 0012_scale_out
Revises: 0011_dashboard
Create Date: 2026-12-06 03:30:00

Issue 15 (several bot workers):

- ``handled_update``: ids of answered Telegram updates, so an update that Telegram delivers
  again (to another worker, after one died before answering 200) is answered once.
- ``outbound_message.sending_since``: set just before a message goes to Telegram, so a sender
  that died mid-send leaves a row the next sender sends again and counts as a possible
  duplicate (at-least-once delivery, never a loss).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0012_scale_out"
down_revision = "0011_dashboard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handled_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("handled_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_handled_update")),
    )
    op.create_index(op.f("ix_handled_update_handled_at"), "handled_update", ["handled_at"])
    with op.batch_alter_table("outbound_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sending_since", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbound_message", schema=None) as batch_op:
        batch_op.drop_column("sending_since")
    op.drop_index(op.f("ix_handled_update_handled_at"), table_name="handled_update")
    op.drop_table("handled_update")
