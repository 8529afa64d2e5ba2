"""dashboard security: shared login throttle, session idle timeout, hashed invitation tokens

Revision ID: 0011_dashboard
Revises: 0010_retention
Create Date: 2026-12-06 18:00:00

Issue 13 (findings 4 and 8):

- ``login_throttle``: failed logins per (username, source address) and per source address,
  hashed, shared by every dashboard process (it was in one process's memory). The account
  lockout columns of ``staff_user`` go: a lockout per account let anyone keep a person locked
  out and told which usernames exist.
- ``staff_session.last_seen_at``: for the idle timeout (existing sessions start from their
  creation time).
- ``facilitator_invitation.token`` becomes ``token_hash``: the SHA-256 of the token, so the
  database no longer holds usable invitations. Issued tokens are hashed here, so their links
  keep working. Downgrading cannot restore them: open invitations then have to be made again.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0011_dashboard"
down_revision = "0010_retention"
branch_labels = None
depends_on = None


def _hash(token: str) -> str:
    # The same as bot.facilitators.membership.invitation_hash (kept here as it was at this
    # revision, so that later code changes cannot alter what this migration did).
    return hashlib.sha256(token.encode()).hexdigest()


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_index(op.f("ix_login_throttle_expires_at"), "login_throttle", ["expires_at"])

    # Not in batch mode: on SQLite a batch would re-create staff_user, and dropping the old
    # table with foreign keys on would cascade into staff_municipality and staff_session.
    # SQLite (3.35+) and PostgreSQL both drop a plain column in place.
    op.drop_column("staff_user", "failed_logins")
    op.drop_column("staff_user", "locked_until")

    with op.batch_alter_table("staff_session") as batch:
        batch.add_column(sa.Column("last_seen_at", UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE staff_session SET last_seen_at = created_at")
    with op.batch_alter_table("staff_session") as batch:
        batch.alter_column("last_seen_at", existing_type=UTCDateTime(timezone=True),
                           nullable=False)

    invitations = sa.table("facilitator_invitation", sa.column("token", sa.String))
    connection = op.get_bind()
    for (token,) in connection.execute(sa.select(invitations.c.token)).all():
        connection.execute(invitations.update().where(invitations.c.token == token)
                           .values(token=_hash(token)))
    with op.batch_alter_table("facilitator_invitation") as batch:
        batch.alter_column("token", new_column_name="token_hash",
                           existing_type=sa.String(length=64), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("facilitator_invitation") as batch:
        batch.alter_column("token_hash", new_column_name="token",
                           existing_type=sa.String(length=64), existing_nullable=False)

    with op.batch_alter_table("staff_session") as batch:
        batch.drop_column("last_seen_at")

    # In place again (see upgrade); a server default lets SQLite add a NOT NULL column.
    op.add_column("staff_user", sa.Column("failed_logins", sa.Integer(), nullable=False,
                                          server_default="0"))
    op.add_column("staff_user", sa.Column("locked_until", UTCDateTime(timezone=True),
                                          nullable=True))

    op.drop_index(op.f("ix_login_throttle_expires_at"), table_name="login_throttle")
    op.drop_table("login_throttle")
