"""Retention (issue 13 finding 5): what a curious insider, or whoever finds the database or a
backup, still finds after the retention periods, after /forget, and after a restore.

Every period is a setting, enforced by ``run_retention`` (the bot's hourly job and
``steunwijzer retention``), and tested here on a fake clock: no sleeps.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from staffgroups import SPRING, Clock, make_group
from web.dashboard_helpers import TILBURG, Citizen, ask, citizen

from actions.forget import forget as forget_action
from bot.citizens.models import CitizenProfile
from bot.context import AppContext
from bot.conversation import state_store
from bot.conversation.models import ConversationState
from bot.conversation.state_store import Flow
from bot.db.session import Database
from bot.outbox.models import OutboundMessage
from bot.privacy.models import Tombstone
from bot.privacy.sealed import generate_key
from bot.reminders import subscriptions
from bot.reminders.models import Subscription
from bot.requests import service as requests
from bot.requests.models import HelpRequest, RequestMessage
from bot.requests.retention import run_retention
from bot.settings import PROJECT_ROOT, Settings
from bot.staff.scope import Scope
from bot.vocabulary import DialogueState

COORDINATOR = Scope("tilburg", "coordinator", None, (TILBURG,), False)
# What the citizen wrote; it must not survive anywhere once its time is up.
MARKER = "Mijn buurman Zwaantje Pietersma heeft schulden"


@pytest.fixture
def clock() -> Clock:
    return Clock(SPRING)


@pytest.fixture
def context(database: Database, clock: Clock) -> AppContext:
    settings = Settings(database_url=database.url, encryption_key=generate_key(),
                        pseudonym_secret="test-pseudonym-secret", request_retention_days=30,
                        profile_inactive_days=180, subscription_inactive_days=365,
                        backup_max_age_days=35)
    return AppContext(settings, database, clock)


def _count(context: AppContext, model: type) -> int:
    with context.database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _request(context: AppContext, code: str) -> HelpRequest | None:
    with context.database.session() as session:
        return session.scalar(select(HelpRequest).where(HelpRequest.code == code))


def _end(context: AppContext, person: Citizen, code: str, how: str) -> None:
    """End a request the way a coordinator, the citizen or the expiry job does."""
    with context.database.session() as session:
        if how == "closed":
            requests.close(session, context, COORDINATOR, code)
        elif how == "withdrawn":
            requests.withdraw(session, context, pseudonym=person.pseudonym, code=code)
        else:  # answered, then nobody wrote for the expiry period
            requests.answer(session, context, COORDINATOR, code, template="own_words",
                            own_words="Bel het sociaal wijkteam.")
            requests.citizen_reply(session, context, pseudonym=person.pseudonym, code=code,
                                   text=MARKER + " (2)")


# ---------------------------------------------------------------------------- requests
@pytest.mark.parametrize("how", ["closed", "withdrawn", "answered"])
def test_request_text_pseudonym_and_thread_are_deleted_n_days_after_the_request_ends(
    context: AppContext, clock: Clock, how: str,
) -> None:
    person = citizen(context)
    code = ask(context, person, MARKER)
    still_open = ask(context, citizen(context, 5551), "een vraag die nog open is")
    with context.database.session() as session:  # a coordinator keeps writing in this one
        session.execute(HelpRequest.__table__.update().where(HelpRequest.code == still_open)
                        .values(expires_at=clock.now + timedelta(days=365)))
    _end(context, person, code, how)
    if how == "answered":  # an answered request ends when it expires
        clock.advance(days=context.settings.request_expiry_days, hours=1)
        run_retention(context)
        assert _request(context, code).status == "expired"

    clock.advance(days=context.settings.request_retention_days - 1)
    run_retention(context)
    ended = _request(context, code)
    assert ended is not None and ended.text == MARKER  # not yet: the period is not over

    clock.advance(days=1, minutes=1)
    report = run_retention(context)
    assert report.ended_requests_deleted == 1
    assert _request(context, code) is None
    with context.database.session() as session:
        # Nothing of it is left: no text, no pseudonym, no thread.
        assert session.scalar(select(func.count()).select_from(HelpRequest)
                              .where(HelpRequest.pseudonym == person.pseudonym)) == 0
        assert all(MARKER not in m.text for m in session.scalars(select(RequestMessage)))
    open_request = _request(context, still_open)
    assert open_request is not None and open_request.chat_token is not None


# ---------------------------------------------------------------------------- profiles, states
def test_profiles_are_deleted_after_the_inactivity_period_unless_the_person_came_back(
    context: AppContext, clock: Clock,
) -> None:
    with context.database.session() as session:
        session.add(CitizenProfile(pseudonym="gone", language="tr", updated_at=clock.now,
                                   last_seen_at=clock.now))
        session.add(CitizenProfile(pseudonym="back", language="fa", updated_at=clock.now,
                                   last_seen_at=clock.now))
    days = context.settings.profile_inactive_days
    clock.advance(days=days - 2)
    with context.database.session() as session:  # "back" talks to the bot again
        state_store.save(session, "back", Flow.CITIZEN, DialogueState(), now=clock.now)
    run_retention(context)  # sees the conversation, so "back" counts as active from now

    clock.advance(days=3)
    report = run_retention(context)
    assert report.inactive_profiles == 1
    with context.database.session() as session:
        assert [p.pseudonym for p in session.scalars(select(CitizenProfile))] == ["back"]
        # The conversation state itself went long ago (its own, shorter period).
        assert session.scalar(select(func.count()).select_from(ConversationState)) == 0


def test_conversation_states_are_deleted_after_their_idle_period(
    context: AppContext, clock: Clock,
) -> None:
    with context.database.session() as session:
        state_store.save(session, "p", Flow.CITIZEN, DialogueState(topic="debt"), now=clock.now)
    clock.advance(seconds=context.settings.conversation_expiry_seconds + 60)
    assert run_retention(context).idle_conversations == 1
    assert _count(context, ConversationState) == 0


# ---------------------------------------------------------------------------- subscriptions
def test_subscriptions_and_their_sealed_chat_ids_end_after_the_inactivity_period(
    context: AppContext, clock: Clock,
) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
    with context.database.session() as session:
        quiet = subscriptions.subscribe(session, context, pseudonym="quiet", chat_id=4001,
                                        group_id=group_id, language="nl")
        active = subscriptions.subscribe(session, context, pseudonym="active", chat_id=4002,
                                         group_id=group_id, language="ar")
        assert quiet is not None and active is not None
        quiet_id, active_id = quiet.id, active.id
    days = context.settings.subscription_inactive_days
    clock.advance(days=days - 1)
    with context.database.session() as session:
        state_store.save(session, "active", Flow.CITIZEN, DialogueState(), now=clock.now)
        # A reminder for the quiet one is still waiting in the outbox, with its chat id.
        from bot.outbox import service as outbox
        from bot.vocabulary import Reply

        outbox.enqueue(session, context, chat_id=4001, purpose=subscriptions.purpose(quiet_id),
                       reply=Reply("Morgen: de groep"), due_at=clock.now + timedelta(days=3))
    run_retention(context)

    clock.advance(days=2)
    report = run_retention(context)
    assert report.inactive_subscriptions == 1
    with context.database.session() as session:
        assert [s.id for s in session.scalars(select(Subscription))] == [active_id]
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0


# ---------------------------------------------------------------------------- the settings
def test_every_retention_period_is_a_documented_setting() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    for name in ("request_retention_days", "profile_inactive_days", "subscription_inactive_days",
                 "backup_max_age_days", "conversation_expiry_seconds", "request_expiry_days"):
        assert name in Settings.model_fields
        assert f"STEUNWIJZER_{name.upper()}" in readme, name


# ---------------------------------------------------------------------------- the file itself
def _file_bytes(url: str) -> bytes:
    path = Path(url.removeprefix("sqlite:///"))
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


def test_sqlite_runs_with_secure_delete(sqlite_database: Database) -> None:
    with sqlite_database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_forgotten_text_is_not_in_the_sqlite_file_or_its_wal(sqlite_database: Database) -> None:
    context = AppContext(Settings(database_url=sqlite_database.url, encryption_key=generate_key(),
                                  pseudonym_secret="test-pseudonym-secret"), sqlite_database)
    person = citizen(context)
    ask(context, person, MARKER)
    ask(context, citizen(context, 5551), "een andere vraag die blijft")
    assert MARKER.encode() in _file_bytes(sqlite_database.url)  # the test can see it at all

    forget_action(context, person.pseudonym)
    data = _file_bytes(sqlite_database.url)
    assert MARKER.encode() not in data
    assert person.pseudonym.encode() not in data


def test_text_deleted_by_retention_is_not_in_the_sqlite_file(sqlite_database: Database) -> None:
    clock = Clock(SPRING)
    context = AppContext(Settings(database_url=sqlite_database.url, encryption_key=generate_key(),
                                  pseudonym_secret="test-pseudonym-secret"), sqlite_database,
                         clock)
    person = citizen(context)
    code = ask(context, person, MARKER)
    _end(context, person, code, "withdrawn")
    clock.advance(days=context.settings.request_retention_days + 1)
    run_retention(context)
    assert MARKER.encode() not in _file_bytes(sqlite_database.url)


# ---------------------------------------------------------------------------- backups
def _backup(url: str, into: Path) -> None:
    """What an operator's backup does: SQLite's online backup of the live file."""
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    target = sqlite3.connect(into)
    with target:
        source.backup(target)
    source.close()
    target.close()


def _restore(database: Database, backup: Path) -> None:
    database.dispose()
    path = Path(database.url.removeprefix("sqlite:///"))
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, path)


def _person_rows(context: AppContext, pseudonym: str) -> dict[str, int]:
    with context.database.session() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)
                                                .where(model.pseudonym == pseudonym)) or 0
            for model in (HelpRequest, CitizenProfile, Subscription, ConversationState)
        }


def _give_data(context: AppContext, person: Citizen, group_id: str) -> str:
    code = ask(context, person, MARKER)
    with context.database.session() as session:
        session.add(CitizenProfile(pseudonym=person.pseudonym, language="fa",
                                   updated_at=context.clock(), last_seen_at=context.clock()))
        subscriptions.subscribe(session, context, pseudonym=person.pseudonym,
                                chat_id=person.chat_id, group_id=group_id, language="fa")
        state_store.save(session, person.pseudonym, Flow.CITIZEN, DialogueState(),
                         now=context.clock())
    return code


def test_forget_is_applied_again_after_a_backup_is_restored(
    sqlite_database: Database, tmp_path: Path,
) -> None:
    clock = Clock(SPRING)
    # The tombstone list lives outside the database, so a restore of the database does not
    # take it back in time (docs/security.md, "Backups").
    context = AppContext(Settings(database_url=sqlite_database.url, encryption_key=generate_key(),
                                  pseudonym_secret="test-pseudonym-secret",
                                  backup_max_age_days=35,
                                  tombstone_file=tmp_path / "elsewhere" / "tombstones.txt"),
                         sqlite_database, clock)
    person, other = citizen(context), citizen(context, 5551)
    with context.database.session() as session:
        group_id = make_group(session)
    _give_data(context, person, group_id)
    other_code = ask(context, other, "een andere vraag")
    backup = tmp_path / "nightly.sqlite3"
    _backup(sqlite_database.url, backup)

    clock.advance(hours=5)
    forget_action(context, person.pseudonym)
    assert set(_person_rows(context, person.pseudonym).values()) == {0}

    clock.advance(days=3)  # something broke: last night's backup goes back
    _restore(sqlite_database, backup)
    assert _person_rows(context, person.pseudonym)["help_request"] == 1  # it came back...
    clock.advance(minutes=1)
    report = run_retention(context)  # ...and the first retention run removes it again
    assert report.tombstones_applied >= 1
    assert set(_person_rows(context, person.pseudonym).values()) == {0}
    assert _request(context, other_code) is not None  # nobody else's data is touched
    # The tombstone is not the pseudonym: a stolen database or tombstone file does not list
    # who used /forget.
    with context.database.session() as session:
        digests = list(session.scalars(select(Tombstone.digest)))
    assert digests and person.pseudonym not in digests
    journal = context.settings.tombstone_file.read_text()
    assert person.pseudonym not in journal and MARKER not in journal


def test_a_person_who_comes_back_after_forget_keeps_what_they_do_then(
    context: AppContext, clock: Clock,
) -> None:
    person = citizen(context)
    with context.database.session() as session:
        group_id = make_group(session)
    _give_data(context, person, group_id)
    forget_action(context, person.pseudonym)
    clock.advance(days=1)
    new_code = ask(context, person, "een nieuwe vraag")
    with context.database.session() as session:
        subscriptions.subscribe(session, context, pseudonym=person.pseudonym,
                                chat_id=person.chat_id, group_id=group_id, language="fa")
    clock.advance(hours=1)
    run_retention(context)
    assert _request(context, new_code) is not None
    assert _person_rows(context, person.pseudonym)["reminder_subscription"] == 1


def test_forget_is_applied_again_to_rows_a_restore_brought_back(
    context: AppContext, clock: Clock,
) -> None:
    """The same on both engines: the rows come back as a restore would bring them back."""
    person = citizen(context)
    with context.database.session() as session:
        group_id = make_group(session)
    code = _give_data(context, person, group_id)
    with context.database.session() as session:
        saved = [
            (type(row), {c.key: getattr(row, c.key) for c in type(row).__table__.columns})
            for model in (HelpRequest, CitizenProfile, Subscription, ConversationState)
            for row in session.scalars(select(model).where(model.pseudonym == person.pseudonym))
        ]
    clock.advance(hours=2)
    forget_action(context, person.pseudonym)
    with context.database.session() as session:
        for model, values in saved:
            session.add(model(**values))
    clock.advance(hours=1)
    run_retention(context)
    assert set(_person_rows(context, person.pseudonym).values()) == {0}
    assert _request(context, code) is None


def test_unsubscribe_is_applied_again_after_a_restore(context: AppContext, clock: Clock) -> None:
    with context.database.session() as session:
        group_id = make_group(session)
        subscription = subscriptions.subscribe(session, context, pseudonym="p", chat_id=4001,
                                               group_id=group_id, language="nl")
        assert subscription is not None
        values = {c.key: getattr(subscription, c.key) for c in Subscription.__table__.columns}
    with context.database.session() as session:
        assert subscriptions.unsubscribe(session, "p", values["id"], now=clock.now)
    with context.database.session() as session:
        session.add(Subscription(**values))  # the restore
    clock.advance(minutes=5)
    run_retention(context)
    assert _count(context, Subscription) == 0


def test_tombstones_are_kept_only_as_long_as_the_oldest_backup(
    context: AppContext, clock: Clock,
) -> None:
    forget_action(context, citizen(context).pseudonym)
    assert _count(context, Tombstone) == 1
    clock.advance(days=context.settings.backup_max_age_days - 1)
    run_retention(context)
    assert _count(context, Tombstone) == 1
    clock.advance(days=2)
    assert run_retention(context).tombstones_expired == 1
    assert _count(context, Tombstone) == 0
