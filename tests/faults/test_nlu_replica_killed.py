"""Fault: NLU replicas killed under load (issue 15), through the real bot application and the
fake Telegram Bot API.

Two replicas, ``STEUNWIJZER_RASA_URL=a,b``. Eight people (two per language) talk at once:

1. both up: replica a answers, nobody sees the degraded notice;
2. a dies while turns wait on it (killed: port closed, connections reset; or hung: it never
   answers and only the time-out gets a turn out): every turn is answered by b, none degraded;
3. with a's circuit open the next turns go straight to b: a gets nothing, no turn waits
   for a time-out, the client logs no new failure;
4. b dies too, while turns wait on it: every turn is answered in degraded mode (the notice,
   keyword understanding) at once, and a crisis message gets the crisis answer in the
   person's language;
5. a starts again: within its pause nobody waits on it (still degraded, a gets nothing);
   after ``nlu_retry_seconds`` (the client's clock is driven, not waited for) the answers
   are normal again and come from a.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from fakes.telegram_api import FakeTelegram, FakeUser
from fault_harness import (
    KEEP_WRITING,
    PHRASES,
    UNDERSTANDS_LESS,
    Phrases,
    Turn,
    bot_settings,
    fill_directory,
    running_bot,
    said,
)
from fault_nlu import NluReplica

from bot.channels.telegram_priority import DIALOGUE_SLOTS
from bot.conversation import nlu_client
from bot.db.session import Database

#: The client's time-out per request: what a turn would wait for a hung replica each time if
#: the circuit did not open (speed claims below are "less than this").
NLU_TIMEOUT = 5.0
#: The pause before a failed replica is tried again (the test moves the client's clock).
RETRY_SECONDS = 600.0


class DrivenClock:
    """The NLU client's ``time`` module: the real monotonic clock plus what the test adds."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def monotonic(self) -> float:
        """Seconds, as ``time.monotonic``, moved on by :meth:`advance`."""
        return time.monotonic() + self.ahead

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass for the client."""
        self.ahead += seconds


@dataclass(frozen=True)
class Person:
    """One of the people talking."""

    user: FakeUser
    phrases: Phrases

    @property
    def language(self) -> str:
        return self.phrases.language


@pytest.fixture
async def replicas() -> AsyncIterator[tuple[NluReplica, NluReplica]]:
    """Replicas a and b, both up."""
    a, b = await NluReplica().start(), await NluReplica().start()
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


async def everyone(people: list[Person], turn: Callable[[Person], Awaitable[Turn]]
                   ) -> list[Turn]:
    """Every person takes one turn, all at the same time."""
    return list(await asyncio.gather(*(turn(p) for p in people)))


def failures_logged(caplog: pytest.LogCaptureFixture, replica: int) -> int:
    """How often the client logged that ``replica`` (its index) did not answer."""
    return sum(r.name == "bot.conversation.nlu_client" and r.levelno == logging.WARNING
               and r.getMessage().startswith(f"NLU replica {replica} unavailable")
               for r in caplog.records)


def assert_normal(people: list[Person], turns: list[Turn]) -> None:
    for person, turn in zip(people, turns, strict=True):
        turn.assert_kind()
        assert said(person.language, UNDERSTANDS_LESS) not in turn.text, (person, turn.text)


def assert_degraded(people: list[Person], turns: list[Turn]) -> None:
    for person, turn in zip(people, turns, strict=True):
        turn.assert_kind()
        assert said(person.language, UNDERSTANDS_LESS) in turn.text, (person, turn.text)


@pytest.mark.parametrize("death", ["killed", "hung"])
async def test_a_killed_replica_is_taken_over_then_degraded_mode_then_back(
    tg: FakeTelegram,
    sqlite_database: Database,
    replicas: tuple[NluReplica, NluReplica],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    death: str,
) -> None:
    fill_directory(sqlite_database)
    a, b = replicas
    clock = DrivenClock()
    monkeypatch.setattr(nlu_client, "time", clock)
    caplog.set_level(logging.WARNING, logger="bot.conversation.nlu_client")
    settings = bot_settings(
        tg,
        rasa_url=f"{a.url},{b.url}",
        rasa_timeout_seconds=NLU_TIMEOUT,
        nlu_retry_seconds=RETRY_SECONDS,
        flood_messages=100,  # eight phases of messages in a few seconds: not a flood here
    )
    people = [Person(tg.user(8_100_001 + i, language_code=p.language, first_name="Anon"), p)
              for i, p in enumerate(PHRASES * 2)]
    in_flight = min(len(people), DIALOGUE_SLOTS)

    async with running_bot(tg, settings, sqlite_database) as bot:

        def search(person: Person) -> Awaitable[Turn]:
            return bot.say(person.user, person.phrases.search)

        # 1. Both up: the texts are spread over both (round robin).
        await everyone(people, lambda p: bot.command(p.user, "/start"))
        turns = await everyone(people, search)
        assert_normal(people, turns)
        assert len(a.texts) + len(b.texts) == len(people) and a.texts and b.texts

        # 2. a dies with turns waiting on it: those go to b, as do the ones that started there.
        answered_by_b = len(b.texts)
        a.hold()
        pending = asyncio.gather(*(search(p) for p in people))
        await a.wait_in_flight(in_flight)
        if death == "killed":
            await a.crash()
        else:
            a.freeze()
        turns = await pending
        assert_normal(people, turns)
        assert len(b.texts) - answered_by_b == len(people)
        failures = failures_logged(caplog, 0)
        assert failures >= 1

        # 3. a's circuit is open: b answers at once, a is not asked.
        asked_a, answered_by_b = len(a.texts), len(b.texts)
        turns = await everyone(people, search)
        assert_normal(people, turns)
        assert len(a.texts) == asked_a and len(b.texts) == answered_by_b + len(people)
        assert failures_logged(caplog, 0) == failures
        slowest = max(t.seconds for t in turns)
        assert slowest < NLU_TIMEOUT, f"a turn waited {slowest:.1f} s: for the dead replica?"

        # 4. b dies too, with turns waiting on it: degraded mode, the crisis net still works.
        b.hold()
        pending = asyncio.gather(*(search(p) for p in people))
        await b.wait_in_flight(in_flight)
        await b.crash()
        assert_degraded(people, await pending)
        turns = await everyone(people, search)
        assert_degraded(people, turns)
        assert max(t.seconds for t in turns) < NLU_TIMEOUT
        crises = await everyone(people, lambda p: bot.say(p.user, p.phrases.crisis))
        for person, turn in zip(people, crises, strict=True):
            turn.assert_kind()
            assert said(person.language, KEEP_WRITING) in turn.text, (person, turn.text)
            assert "113" in turn.text

        # 5. a comes back: nobody waits on it within its pause; after it, a answers.
        if a.up:
            await a.crash()  # the hung one is restarted
        await a.start()
        asked_a = len(a.texts)
        assert_degraded(people, await everyone(people, search))
        assert len(a.texts) == asked_a
        clock.advance(RETRY_SECONDS)
        turns = await everyone(people, search)
        assert_normal(people, turns)
        assert len(a.texts) == asked_a + len(people)
        assert bot.apologies([p.user for p in people]) == []
