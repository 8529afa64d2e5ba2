"""service_text: a service's description and how-to-join text per language

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:00:00

product.md: descriptions and how-to-join texts can be given per language; a reader sees their
own language where the group wrote one, Dutch otherwise. ``service.description`` and
``service.how_to_join`` stay the Dutch (default) texts; this table holds the others.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_text",
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "field IN ('description', 'how_to_join')", name=op.f("ck_service_text_field")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_text_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "language", "field", name=op.f("pk_service_text")),
    )


def downgrade() -> None:
    op.drop_table("service_text")
