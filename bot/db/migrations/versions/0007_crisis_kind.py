"""stat_counter.kind: the kind of crisis an anonymous crisis answer was for

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 02:00:00

safety.md rule 5: the anonymous crisis counter records the kind (suicide, violence at home, a
child, forced marriage, danger now). The kind joins the counter's key; other events keep "".
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_KEY = ["event", "week", "topic", "language", "municipality_code"]


def upgrade() -> None:
    # recreate: SQLite cannot change a primary key in place.
    with op.batch_alter_table("stat_counter", recreate="always") as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=24), nullable=False, server_default="")
        )
        batch_op.drop_constraint("pk_stat_counter", type_="primary")
        batch_op.create_primary_key("pk_stat_counter", [*_KEY, "kind"])


def downgrade() -> None:
    # Counters of different kinds in one cell are added up before the column goes.
    op.execute(
        "CREATE TABLE stat_counter_merge AS SELECT event, week, topic, language, "
        "municipality_code, SUM(count) AS count FROM stat_counter GROUP BY "
        "event, week, topic, language, municipality_code"
    )
    op.execute("DELETE FROM stat_counter")
    with op.batch_alter_table("stat_counter", recreate="always") as batch_op:
        batch_op.drop_constraint("pk_stat_counter", type_="primary")
        batch_op.drop_column("kind")
        batch_op.create_primary_key("pk_stat_counter", _KEY)
    op.execute(
        "INSERT INTO stat_counter (event, week, topic, language, municipality_code, count) "
        "SELECT event, week, topic, language, municipality_code, count FROM stat_counter_merge"
    )
    op.drop_table("stat_counter_merge")
