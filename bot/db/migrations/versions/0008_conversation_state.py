"""conversation_state: the dialogue state per pseudonym, in the app database

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 22:00:00

architecture.md: one home for a conversation. Until now the state lived in Rasa's tracker
store (with every message text) and, in degraded mode, in the bot's memory. Facts only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_state",
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("flow", sa.String(length=16), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym", "flow", name="pk_conversation_state"),
    )
    op.create_index("ix_conversation_state_updated_at", "conversation_state", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_conversation_state_updated_at", table_name="conversation_state")
    op.drop_table("conversation_state")
