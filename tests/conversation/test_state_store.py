"""The dialogue state's one home: facts per pseudonym and flow, expiring, forgettable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.conversation import state_store
from bot.conversation.models import ConversationState
from bot.conversation.state_store import Flow
from bot.privacy.forget import forget_citizen
from bot.vocabulary import DialogueState

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def test_a_state_comes_back_as_it_was_saved(database) -> None:
    state = DialogueState(language="fa", topic="grief", place_code="GM0344", pending="place")
    with database.session() as session:
        state_store.save(session, "p1", Flow.CITIZEN, state, now=NOW)
    with database.session() as session:
        loaded = state_store.load(
            session, "p1", Flow.CITIZEN, DialogueState, now=NOW + timedelta(hours=1), expiry=DAY
        )
    assert loaded == state


def test_an_idle_state_is_gone_on_read_and_by_the_purge(database) -> None:
    with database.session() as session:
        state_store.save(session, "old", Flow.CITIZEN, DialogueState(topic="debt"), now=NOW)
        state_store.save(session, "new", Flow.CITIZEN, DialogueState(topic="grief"), now=NOW + DAY)
    with database.session() as session:
        later = NOW + DAY + timedelta(minutes=1)
        assert state_store.load(
            session, "old", Flow.CITIZEN, DialogueState, now=later, expiry=DAY
        ) is None
    with database.session() as session:
        state_store.save(session, "old", Flow.CITIZEN, DialogueState(topic="debt"), now=NOW)
        assert state_store.purge(session, now=NOW + 2 * DAY - timedelta(seconds=1), expiry=DAY) == 1
        assert [row.pseudonym for row in session.query(ConversationState)] == ["new"]


def test_forget_deletes_both_flows_and_leaves_others(database) -> None:
    with database.session() as session:
        state_store.save(session, "p1", Flow.CITIZEN, DialogueState(), now=NOW)
        state_store.save(session, "p1", Flow.FACILITATOR, DialogueState(), now=NOW)
        state_store.save(session, "p2", Flow.CITIZEN, DialogueState(), now=NOW)
    with database.session() as session:
        forget_citizen(session, "p1")
    with database.session() as session:
        assert [(r.pseudonym, r.flow) for r in session.query(ConversationState)] == [
            ("p2", "citizen")
        ]


def test_keys_an_older_or_newer_bot_wrote_are_ignored(database) -> None:
    with database.session() as session:
        session.add(
            ConversationState(
                pseudonym="p1", flow="citizen", facts='{"topic": "debt", "gone_field": 1}',
                updated_at=NOW,
            )
        )
    with database.session() as session:
        loaded = state_store.load(session, "p1", Flow.CITIZEN, DialogueState, now=NOW, expiry=DAY)
    assert loaded == DialogueState(topic="debt")


def test_what_is_left_out_is_not_stored(database) -> None:
    with database.session() as session:
        state_store.save(
            session, "p1", Flow.CITIZEN, DialogueState(draft="mijn vraag"), now=NOW,
            leave_out=frozenset({"draft"}),
        )
    with database.session() as session:
        (row,) = session.query(ConversationState)
        assert "mijn vraag" not in row.facts and "draft" not in row.facts


def test_the_retention_job_deletes_idle_conversations(database) -> None:
    from bot.context import AppContext
    from bot.requests.retention import run_retention
    from bot.settings import Settings

    with database.session() as session:
        state_store.save(session, "idle", Flow.CITIZEN, DialogueState(topic="debt"), now=NOW)
        state_store.save(session, "busy", Flow.CITIZEN, DialogueState(), now=NOW + DAY)
    context = AppContext(
        Settings(pseudonym_secret="x", conversation_expiry_seconds=3600), database,
        clock=lambda: NOW + DAY + timedelta(minutes=30),
    )
    assert run_retention(context).idle_conversations == 1
    with database.session() as session:
        assert [row.pseudonym for row in session.query(ConversationState)] == ["busy"]
