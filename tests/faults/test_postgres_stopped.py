"""Fault: PostgreSQL stopped under load (issue 15), on a private cluster the test starts, with
the real bot application polling the fake Telegram Bot API.

Eight people (two per language) are mid-conversation: half have chosen a topic and were asked
for their place, half have seen results. Then, while ordinary turns are in flight (held at the
NLU replica, every dialogue slot taken), the database is stopped (``pg_ctl stop -m fast``):

* crisis messages are answered at once (before the turns in flight are let go), with the
  crisis answer in the person's language;
* every other message, button and command gets a kind answer: never silence, never an
  exception's text, never the error handler's apology (nothing raised to the person);
* after ``pg_ctl start`` every row committed before the stop is still there, the people who
  were asked for their place get results for the topic they chose before the outage, and a
  new search from the start works.

How long the outage lasts is not the point (the behaviour is the same after 1 s or 30 s), so
the test does not wait for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from fakes.telegram_api import FakeTelegram, FakeUser, SentMessage
from fault_harness import (
    DATABASE_DOWN,
    KEEP_WRITING,
    PHRASES,
    FaultBot,
    Phrases,
    PrivateCluster,
    Turn,
    bot_settings,
    fill_directory,
    running_bot,
    said,
)
from fault_nlu import NluReplica
from sqlalchemy import MetaData, create_engine, select

from bot.channels.telegram_priority import DIALOGUE_SLOTS
from bot.db.migrate import upgrade
from bot.db.session import Database

pytestmark = pytest.mark.postgres

#: A crisis answer with the database down is "at once": no database, NLU or queue in its
#: way (a generous bound for a loaded machine; the turns in flight are still held meanwhile).
CRISIS_SECONDS = 3.0
#: The topics the people choose before the outage (the demo directory has groups for each).
TOPICS = ("loneliness", "grief")


@dataclass
class Person:
    """One of the people talking, and the last message of the bot they can tap."""

    user: FakeUser
    phrases: Phrases
    topic: str
    mid_search: bool  # asked for a place when the database stops (else: saw results)
    last: SentMessage | None = field(default=None)

    @property
    def language(self) -> str:
        return self.phrases.language


async def everyone(people: list[Person], turn: Callable[[Person], Awaitable[Turn]]
                   ) -> list[Turn]:
    """Every person takes one turn, all at the same time."""
    return list(await asyncio.gather(*(turn(p) for p in people)))


async def choose_a_group(bot: FaultBot, person: Person, *, results: bool) -> Turn:
    """/start, "a peer group", the topic; then "online" too when ``results``: the turn that
    answers the last step."""
    welcome = await bot.command(person.user, "/start")
    asked = await bot.press(person.user, welcome.with_buttons("o:peer_group"), "o:peer_group")
    if "t:" + person.topic in asked.buttons():
        asked = await bot.press(person.user, asked.with_buttons("t:"), "t:" + person.topic)
    question = asked.with_buttons("p:")
    person.last = question
    if not results:
        return asked
    return await bot.press(person.user, question, "p:online")


def tap(person: Person) -> str:
    """The button a person taps during the outage: "online" when asked for a place, a
    group's details when shown results."""
    assert person.last is not None
    prefix = "p:online" if person.mid_search else "g:"
    return next(d for row in person.last.buttons for _, d in row if (d or "").startswith(prefix))


def has_results(turn: Turn) -> bool:
    """Group cards (each with a "details" button) were shown."""
    return any(d.startswith("g:") for d in turn.buttons())


def committed_rows(url: str) -> dict[str, set[tuple[object, ...]]]:
    """The primary keys of every row of every table (what was committed)."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        rows: dict[str, set[tuple[object, ...]]] = {}
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                key = list(table.primary_key.columns) or list(table.columns)
                rows[table.name] = {tuple(r) for r in conn.execute(select(*key))}
        return rows
    finally:
        engine.dispose()


def assert_kind_answers(people: list[Person], turns: list[Turn]) -> None:
    for person, turn in zip(people, turns, strict=True):
        turn.assert_kind()
        assert said(person.language, KEEP_WRITING) not in turn.text  # not taken for a crisis


async def test_the_database_stopped_under_load(
    tg: FakeTelegram, private_postgres: PrivateCluster
) -> None:
    url = private_postgres.url
    upgrade(url)
    database = Database(url)
    fill_directory(database)
    nlu = await NluReplica().start()
    settings = bot_settings(tg, rasa_url=nlu.url, flood_messages=100, flood_presses=100)
    people = [
        Person(tg.user(8_200_001 + i, language_code=p.language, first_name="Anon"), p,
               TOPICS[i % 2], mid_search=i < len(PHRASES))
        for i, p in enumerate(PHRASES * 2)
    ]
    try:
        async with running_bot(tg, settings, database) as bot:
            # Before: everyone mid-conversation; half have seen results.
            turns = await everyone(
                people, lambda p: choose_a_group(bot, p, results=not p.mid_search))
            for person, turn in zip(people, turns, strict=True):
                assert has_results(turn) != person.mid_search, turn.text
                person.last = turn.with_buttons("p:" if person.mid_search else "g:")
            before = committed_rows(url)

            # The stop, with ordinary turns in flight (held at the NLU replica).
            nlu.hold()
            in_flight = asyncio.gather(*(bot.say(p.user, p.phrases.search) for p in people))
            await nlu.wait_in_flight(min(len(people), DIALOGUE_SLOTS))
            await asyncio.to_thread(private_postgres.stop, "fast")
            crises = await everyone(people, lambda p: bot.say(p.user, p.phrases.crisis))
            for person, turn in zip(people, crises, strict=True):
                turn.assert_kind()
                assert said(person.language, KEEP_WRITING) in turn.text, turn.text
                assert "113" in turn.text
                assert turn.seconds < CRISIS_SECONDS, f"crisis answer after {turn.seconds:.1f} s"
            assert not in_flight.done(), "the crisis answers waited for the turns in flight"
            nlu.release()
            assert_kind_answers(people, await in_flight)

            # While it is down: typing, tapping and commands all get a kind answer.
            turns = await everyone(people, lambda p: bot.say(p.user, p.phrases.search))
            assert_kind_answers(people, turns)
            turns = await everyone(people, lambda p: bot.press(p.user, p.last, tap(p)))
            assert_kind_answers(people, turns)
            for person, turn in zip(people, turns, strict=True):
                if not person.mid_search:  # a group's details need the directory: it says so
                    assert said(person.language, DATABASE_DOWN) in turn.text, turn.text
            assert_kind_answers(people, await everyone(
                people, lambda p: bot.command(p.user, "/start")))
            assert_kind_answers(people, await everyone(
                people, lambda p: bot.command(p.user, "/privacy")))
            assert_kind_answers(people, await everyone(
                people, lambda p: bot.say(p.user, p.phrases.place)))

            # Back: nothing committed is lost, the conversations go on.
            await asyncio.to_thread(private_postgres.start)
            after = committed_rows(url)
            for table, keys in before.items():
                assert keys <= after[table], f"{table}: {len(keys - after[table])} rows lost"
            searching = [p for p in people if p.mid_search]
            turns = await everyone(searching, lambda p: bot.say(p.user, p.phrases.place))
            for turn in turns:
                # Results for the topic chosen before the outage, without asking it again.
                assert has_results(turn) and not any(
                    d.startswith("t:") for d in turn.buttons()), turn.text
            others = [p for p in people if not p.mid_search]
            turns = await everyone(others, lambda p: choose_a_group(bot, p, results=True))
            assert all(has_results(t) for t in turns), [t.text for t in turns]
            assert bot.apologies([p.user for p in people]) == []
    finally:
        await nlu.close()
        database.dispose()
