"""What one bot worker knows of a person, every worker knows (issue 15).

Two Pipelines stand for two bot workers: each with its own database connections and its own
Redis client, over one database (SQLite and the real PostgreSQL) and the real Redis at
127.0.0.1:6379 (database 11; every pseudonym carries a tag of the test's own, and the test's
keys are deleted afterwards). A person's next message may reach either worker: the question
they have not confirmed yet, the facts kept after a crisis answer and their language follow
them. Under ``CI=true`` a missing Redis fails.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
import redis
from redis_available import require_redis
from sqlalchemy import event, select

from bot.context import AppContext
from bot.conversation.ephemeral import (
    REDIS_PREFIX,
    LocalEphemeral,
    RedisEphemeral,
    ValueSealer,
    ephemeral_store,
)
from bot.conversation.memory import DRAFT_TTL, KEPT_FACTS
from bot.conversation.pipeline import Citizen, Pipeline
from bot.db.session import Database
from bot.dialogue import render
from bot.privacy.sealed import generate_key
from bot.requests.models import HelpRequest
from bot.settings import Settings
from bot.taxonomy import Route
from bot.vocabulary import ButtonIntent, Option

REDIS_URL = "redis://127.0.0.1:6379/11"
KEY = generate_key()
QUESTION = "Mijn naam is Fatima Yilmaz. Hoe lang duurt een wachtlijst bij de GGZ?"
CRISIS_STORY = "Ik zorg alleen voor mijn moeder met dementie en woon in Tilburg. Ik wil dood."




@pytest.fixture
def raw_redis() -> Iterator[redis.Redis]:
    require_redis(REDIS_URL)
    yield redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def tag(raw_redis: redis.Redis) -> Iterator[str]:
    """A tag for this test's pseudonyms; their keys are deleted afterwards."""
    name = f"shm{uuid.uuid4().hex[:10]}"
    yield name
    for key in raw_redis.scan_iter(match=f"{REDIS_PREFIX}*{name}*"):
        raw_redis.delete(key)


def settings(redis_url: str = REDIS_URL, **changes: object) -> Settings:
    return Settings(pseudonym_secret="x", encryption_key=KEY, redis_url=redis_url, **changes)


@pytest.fixture
def workers(context: AppContext, tag: str) -> Iterator[tuple[Pipeline, Pipeline]]:
    """Two workers over one database (holding the demo directory) and one Redis, each with
    connections of its own."""
    database = context.database
    other = Database(database.url)
    yield (Pipeline(AppContext(settings(), database), None),
           Pipeline(AppContext(settings(), other), None))
    other.dispose()


def citizen(pipeline: Pipeline, name: str) -> Citizen:
    """A citizen as the Telegram adapter makes one (pseudonym, sealed chat id)."""
    assert pipeline.context.sealer is not None
    return Citizen(pseudonym=name, chat_token=pipeline.context.sealer.seal(4242, "chat"),
                   telegram_language="nl")


def texts(result) -> list[str]:
    """The texts of a pipeline result, or of rendered replies."""
    return [reply.text for reply in getattr(result, "replies", result)]


def settled(pipeline: Pipeline) -> asyncio.Future[None]:
    """Done once the worker's Redis writes so far are made (a crisis answer does not wait)."""
    store = pipeline.memory.store
    assert isinstance(store, RedisEphemeral)
    return asyncio.wrap_future(store.settled())


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------- a person between workers
async def test_a_question_drafted_on_one_worker_is_confirmed_on_another(
    workers: tuple[Pipeline, Pipeline], tag: str, raw_redis: redis.Redis
) -> None:
    a, b = workers
    person = citizen(a, f"{tag}-asks")
    await a.handle_button(person, ButtonIntent.CHOOSE_OPTION, Option.HUMAN)
    draft = await a.handle_text(person, QUESTION)
    shown = " ".join(texts(draft))  # shown back to confirm, scrubbed
    assert "wachtlijst" in shown and "Fatima" not in shown

    sent = await b.handle_button(person, ButtonIntent.CHOOSE_OPTION, Option.SEND_QUESTION)

    with b.context.database.session() as session:
        (request,) = session.scalars(
            select(HelpRequest).where(HelpRequest.pseudonym == person.pseudonym)).all()
        code, stored_text = request.code, request.text
    assert texts(sent) == texts(render.question_stored("nl", code))
    assert "wachtlijst" in stored_text and "Fatima" not in stored_text  # scrubbed, as shown
    # Sent: the draft is gone for every worker; a second "send" asks for a question again.
    assert raw_redis.exists(f"{REDIS_PREFIX}draft:{person.pseudonym}") == 0
    again = await a.handle_button(person, ButtonIntent.CHOOSE_OPTION, Option.SEND_QUESTION)
    assert texts(again) == texts(render.ask_question("nl"))


async def test_what_a_crisis_message_also_said_is_used_by_the_next_turn_on_another_worker(
    workers: tuple[Pipeline, Pipeline], tag: str
) -> None:
    a, b = workers
    person = citizen(a, f"{tag}-crisis")
    crisis = await a.handle_text(person, CRISIS_STORY)
    assert crisis.crisis and crisis.route == Route.CRISIS_LINE
    await settled(a)

    state = await asyncio.to_thread(b.memory.peek, person.pseudonym, "nl")
    assert (state.topic, state.place_name) == ("caregiving", "Tilburg")
    found = await b.handle_text(person, "ik zoek een groep")
    assert texts(render.ask_place("nl"))[0] not in texts(found), "the place is not asked again"
    assert found.route == Route.PEER_GROUP and "Tilburg" in " ".join(texts(found))
    # Used once: the facts are with the stored state now, not waiting for a turn.
    assert await asyncio.to_thread(b.memory.store.get, KEPT_FACTS, person.pseudonym) is None


async def test_a_language_chosen_on_one_worker_is_followed_by_the_other_at_once(
    workers: tuple[Pipeline, Pipeline], tag: str
) -> None:
    a, b = workers
    person = citizen(a, f"{tag}-language")
    first = await b.handle_text(person, "hallo, ik heb een vraag")
    assert first.language == "nl"  # worker B now knows the person as Dutch-speaking

    await a.handle_command(person, "language")
    chosen = await a.handle_button(person, ButtonIntent.CHOOSE_LANGUAGE, "tr")
    assert texts(chosen) == texts(render.language_set("tr"))

    helped = await b.handle_command(person, "help")
    assert helped.language == "tr" and texts(helped) == texts(render.help_text("tr"))


async def test_a_switch_of_language_in_words_on_one_worker_is_followed_by_the_other(
    workers: tuple[Pipeline, Pipeline], tag: str
) -> None:
    a, b = workers
    person = citizen(a, f"{tag}-switch")
    assert (await b.handle_command(person, "start")).language == "nl"
    switched = await a.handle_text(person, "merhaba, Türkçe konuşabilir miyiz? yardım arıyorum")
    assert switched.language == "tr"

    helped = await b.handle_command(person, "help")
    assert helped.language == "tr" and texts(helped) == texts(render.help_text("tr"))


# ------------------------------------------------------------------- what Redis holds
async def test_redis_holds_the_draft_sealed_and_only_for_a_while(
    workers: tuple[Pipeline, Pipeline], tag: str, raw_redis: redis.Redis
) -> None:
    a, _b = workers
    person = citizen(a, f"{tag}-sealed")
    await a.handle_button(person, ButtonIntent.CHOOSE_OPTION, Option.HUMAN)
    await a.handle_text(person, QUESTION)
    await a.handle_text(person, CRISIS_STORY)  # keeps the facts of the crisis message too
    await settled(a)

    draft_key = f"{REDIS_PREFIX}draft:{person.pseudonym}"
    facts_key = f"{REDIS_PREFIX}facts:{person.pseudonym}"
    value = raw_redis.get(draft_key)
    assert value is not None
    assert b"wachtlijst" not in value and b"GGZ" not in value
    assert b"Tilburg" not in raw_redis.get(facts_key)
    # It is the draft, sealed: the key opens it, for this place only.
    sealer = ValueSealer(KEY)
    assert "wachtlijst" in sealer.open(value.decode(), draft_key).decode()
    with pytest.raises(Exception, match="cannot be opened"):
        sealer.open(value.decode(), f"{REDIS_PREFIX}draft:{tag}-someone-else")
    # Both expire: nothing stays in Redis longer than the draft's TTL.
    for key in (draft_key, facts_key):
        assert 0 < raw_redis.pttl(key) <= DRAFT_TTL * 1000
    # No key carries anything but the pseudonym.
    keys = {k.decode() for k in raw_redis.scan_iter(match=f"{REDIS_PREFIX}*{tag}*")}
    assert keys == {draft_key, facts_key}


async def test_a_value_moved_to_another_person_does_not_open(
    workers: tuple[Pipeline, Pipeline], tag: str, raw_redis: redis.Redis,
    caplog: pytest.LogCaptureFixture,
) -> None:
    a, b = workers
    person, other = citizen(a, f"{tag}-one"), citizen(a, f"{tag}-two")
    await a.handle_button(person, ButtonIntent.CHOOSE_OPTION, Option.HUMAN)
    await a.handle_text(person, QUESTION)
    raw_redis.copy(f"{REDIS_PREFIX}draft:{person.pseudonym}",
                   f"{REDIS_PREFIX}draft:{other.pseudonym}")
    with caplog.at_level(logging.WARNING):
        state = await asyncio.to_thread(b.memory.peek, other.pseudonym, "nl")
    assert state.draft is None
    assert "a value in Redis could not be opened (SealError)" in caplog.text
    assert "wachtlijst" not in caplog.text and other.pseudonym not in caplog.text


def test_a_worker_with_a_rotated_key_still_opens_what_the_other_sealed() -> None:
    new = generate_key()
    sealed = ValueSealer(KEY).seal(b"draft", "place")
    assert ValueSealer(new, retired=[KEY]).open(sealed, "place") == b"draft"
    with pytest.raises(Exception, match="not configured"):
        ValueSealer(new).open(sealed, "place")


def test_values_in_memory_expire() -> None:
    now = [0.0]
    store = LocalEphemeral(ttl=60, clock=lambda: now[0])
    store.put("draft", "p", "question")
    now[0] = 59.0
    assert store.get("draft", "p") == "question"
    now[0] = 60.0
    assert store.get("draft", "p") is None and store.take("draft", "p") is None


def test_the_store_follows_the_settings(caplog: pytest.LogCaptureFixture) -> None:
    require_redis(REDIS_URL)
    assert isinstance(ephemeral_store(settings(redis_url=""), 60), LocalEphemeral)
    assert isinstance(ephemeral_store(settings(), 60), RedisEphemeral)
    # Without a key nothing goes to Redis: it would go unsealed.
    with caplog.at_level(logging.WARNING):
        alone = ephemeral_store(Settings(pseudonym_secret="x", redis_url=REDIS_URL), 60)
    assert isinstance(alone, LocalEphemeral) and "no encryption key" in caplog.text


# ------------------------------------------------------------------- Redis out
async def test_with_redis_unreachable_the_worker_still_answers_and_says_so_once(
    sqlite_database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    context = AppContext(settings(redis_url=f"redis://127.0.0.1:{closed_port()}/0"),
                         sqlite_database)
    pipeline = Pipeline(context, None)
    person = citizen(pipeline, "redis-out")
    with caplog.at_level(logging.WARNING, logger="bot.conversation.ephemeral"):
        await pipeline.handle_button(person, ButtonIntent.CHOOSE_OPTION, Option.HUMAN)
        draft = await pipeline.handle_text(person, QUESTION)
        crisis = await pipeline.handle_text(person, CRISIS_STORY)
        sent = await pipeline.handle_button(person, ButtonIntent.CHOOSE_OPTION,
                                            Option.SEND_QUESTION)
    assert "wachtlijst" in " ".join(texts(draft)) and crisis.crisis
    # The draft waited in this worker's memory: confirmed here, it is sent.
    with context.database.session() as session:
        (request,) = session.scalars(
            select(HelpRequest).where(HelpRequest.pseudonym == person.pseudonym)).all()
    assert texts(sent) == texts(render.question_stored("nl", request.code))
    # So were the crisis message's facts, used by the turn that followed.
    state = await asyncio.to_thread(pipeline.memory.peek, person.pseudonym, "nl")
    assert state.topic == "caregiving" and state.place_name == "Tilburg"
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.conversation.ephemeral"]
    assert warnings == ["conversation memory: Redis unreachable (ConnectionError); drafts and "
                        "kept facts stay in this worker's memory until it answers"]


# ------------------------------------------------------------------- cost
async def test_reading_the_language_from_the_database_costs_no_extra_query(
    sqlite_database: Database,
) -> None:
    """The language is read in the statement that loads the turn's state: a turn of a known
    person runs the same three statements as when the language came from a cache (state and
    language; the row before the update; the update)."""
    pipeline = Pipeline(AppContext(Settings(pseudonym_secret="x"), sqlite_database), None)
    person = Citizen(pseudonym="counted", telegram_language="nl")
    await pipeline.handle_text(person, "hallo")
    seen: Counter[tuple[str, tuple[str, ...]]] = Counter()

    def count(_conn, _cursor, statement: str, *_args) -> None:
        tables = tuple(sorted(set(re.findall(r"citizen_profile|conversation_state", statement))))
        seen[(statement.split()[0].upper(), tables)] += 1

    event.listen(sqlite_database.engine, "before_cursor_execute", count)
    try:
        for turn in (pipeline.handle_text(person, "bedankt"),
                     pipeline.handle_button(person, ButtonIntent.CHOOSE_OPTION, Option.HUMAN),
                     pipeline.handle_command(person, "help")):
            seen.clear()
            await turn
            assert seen == Counter({
                ("SELECT", ("citizen_profile", "conversation_state")): 1,
                ("SELECT", ("conversation_state",)): 1,
                ("UPDATE", ("conversation_state",)): 1,
            })
    finally:
        event.remove(sqlite_database.engine, "before_cursor_execute", count)
