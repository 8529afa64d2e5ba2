"""Issue 13 finding 8: facilitator invitation tokens were stored in plain text.

The attacker is whoever reads the database or a backup (a curious insider, a stolen disk):
with a stored token they could accept an open invitation and become a group's facilitator,
who sees its meetings and may write to its members through the bot.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from dashboard_app import clock_fixture, context_fixture  # noqa: F401 - fixtures
from sqlalchemy import create_engine, text
from staffgroups import make_group
from web.dashboard_helpers import make_context

from bot.context import AppContext
from bot.db.migrate import alembic_config, upgrade
from bot.db.session import Database
from bot.directory.gazetteer import load_reference_data
from bot.facilitators import errors, membership
from bot.facilitators.errors import Refused
from bot.privacy.pseudonym import pseudonym_for
from bot.reminders.subscriptions import CHAT_PURPOSE

MY_REVISION = "0011_dashboard"


def _person(context: AppContext, user: int = 555_000_111) -> tuple[str, str]:
    return (pseudonym_for(user, context.settings.pseudonym_secret),
            context.sealer.seal(user, CHAT_PURPOSE))


def _stored_values(database: Database) -> list[str]:
    """Every value of every invitation row, as text."""
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM facilitator_invitation")).all()
    return [str(value) for row in rows for value in row]


def _file_bytes(url: str) -> bytes:
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal"))
                    if p.exists())


def test_the_database_holds_no_usable_invitation_token(context) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        invitation = membership.create_invitation(session, context, group_id, "tilburg")
    stored = _stored_values(context.database)
    assert stored and not any(invitation.token in value for value in stored)
    if context.database.url.startswith("sqlite"):
        assert invitation.token.encode() not in _file_bytes(context.database.url)
    # What is stored does not work as a token: the insider cannot accept with it.
    for value in stored:
        with context.database.session() as session, pytest.raises(Refused) as refused:
            membership.accept_invitation(session, context, value, *_person(context), "nl")
        assert refused.value.message == errors.INVITATION_UNKNOWN
    # The link's token still does, once.
    with context.database.session() as session:
        _facilitator, group = membership.accept_invitation(session, context, invitation.token,
                                                           *_person(context), "nl")
        assert group.id == group_id


def _previous_revision(url: str) -> str:
    script = ScriptDirectory.from_config(alembic_config(url))
    down = script.get_revision(MY_REVISION).down_revision
    assert isinstance(down, str)
    return down


def test_invitations_issued_before_the_upgrade_keep_working(db_url: str, clock) -> None:
    upgrade(db_url, _previous_revision(db_url))
    database = Database(db_url)
    context = AppContext(database=database, clock=clock,
                         settings=make_context(database).settings)
    token = "PlainTokenFromBefore_123"
    now = clock()
    with database.session() as session:
        load_reference_data(session)
        group_id = make_group(session)
    with database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO facilitator_invitation (token, service_id, created_by, created_at, "
            "expires_at) VALUES (:token, :service, 'cli', :now, :until)"),
            {"token": token, "service": group_id, "now": now.replace(tzinfo=None),
             "until": (now + timedelta(days=2)).replace(tzinfo=None)})
        # A coordinator with a municipality and a session: the upgrade must keep them.
        connection.execute(text(
            "INSERT INTO staff_user (id, username, role, national, password_hash, disabled, "
            "failed_logins, created_at) VALUES (7, 'anna', 'admin', false, 'x', false, 0, :now)"),
            {"now": now.replace(tzinfo=None)})
        connection.execute(text("INSERT INTO staff_municipality (user_id, municipality_code) "
                                "VALUES (7, 'GM0855')"))
        connection.execute(text(
            "INSERT INTO staff_session (token_hash, user_id, csrf_token, created_at, expires_at) "
            "VALUES ('h', 7, 'c', :now, :until)"),
            {"now": now.replace(tzinfo=None),
             "until": (now + timedelta(hours=1)).replace(tzinfo=None)})
    database.dispose()

    upgrade(db_url)
    engine = create_engine(db_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM staff_municipality")).scalar() == 1
        assert connection.execute(text(
            "SELECT last_seen_at FROM staff_session")).scalar() is not None
    engine.dispose()
    database = Database(db_url)
    context = AppContext(database=database, clock=clock, settings=context.settings)
    assert token not in " ".join(_stored_values(database))
    with database.session() as session:
        _facilitator, group = membership.accept_invitation(session, context, token,
                                                           *_person(context), "nl")
        assert group.id == group_id
    database.dispose()
