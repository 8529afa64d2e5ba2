"""The flood limits shared by several bot workers through Redis (issue 15).

Against the real Redis at 127.0.0.1:6379 (database 7, a key prefix of each test's own, deleted
afterwards). Two limiter instances with their own connections stand for two workers; times are
passed in, so a window passes without waiting for it. Under ``CI=true`` a missing Redis fails.
"""

from __future__ import annotations

import logging
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import redis
from fakes.telegram_api import FakeTelegram
from redis_available import require_redis
from security.telegram_harness import bot_settings, running_bot
from telegram import Update
from telegram.ext import Application

from bot.conversation.flood import (
    REDIS_PREFIX,
    FloodLimiter,
    RedisFloodLimiter,
    flood_limiters,
    flood_outage,
)
from bot.conversation.redis_link import redis_client
from bot.db.session import Database
from bot.i18n.catalogs import Translator
from bot.privacy.pseudonym import pseudonym_for
from bot.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/7"
FLOOD_NOTICE = Translator("nl").gettext(
    "You are sending a lot of messages at once. I read them one by one; please wait a moment.")




def delete_keys(pattern: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=pattern):
        client.delete(key)


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    require_redis(REDIS_URL)
    name = f"test-flood-{uuid.uuid4().hex[:10]}:"
    yield name
    delete_keys(name + "*")


def worker(prefix: str, limit: int = 3, window: float = 10.0, **kwargs) -> RedisFloodLimiter:
    """A limiter as one bot worker has it: its own connection to the shared Redis."""
    return RedisFloodLimiter(redis_client(REDIS_URL), limit, window, prefix, **kwargs)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_two_workers_share_one_budget_per_person(prefix: str) -> None:
    a, b = worker(prefix), worker(prefix)
    turns = [(a if i % 2 else b).allow("person", 100.0 + i) for i in range(6)]
    assert turns == [True, True, True, False, False, False]


def test_other_people_and_the_other_kind_of_turn_are_not_held_back(prefix: str) -> None:
    a, b = worker(prefix + "messages:"), worker(prefix + "messages:")
    presses = worker(prefix + "presses:")
    for i in range(5):
        a.allow("flooder", 100.0 + i)
    assert not b.allow("flooder", 106.0)
    assert b.allow("someone else", 106.0) and a.allow("someone else", 106.5)
    assert presses.allow("flooder", 106.0)


def test_the_window_slides_as_in_memory(prefix: str) -> None:
    shared = [worker(prefix, limit=3, window=10.0), worker(prefix, limit=3, window=10.0)]
    alone = FloodLimiter(limit=3, window=10.0)
    times = [0.0, 1.0, 2.0, 5.0, 10.0, 10.5, 11.0, 11.5, 12.5, 30.0, 30.0, 30.0, 30.0, 41.0]
    in_redis = [shared[i % 2].allow("p", 1_700_000_000 + t) for i, t in enumerate(times)]
    in_memory = [alone.allow("p", 1_700_000_000 + t) for t in times]
    assert in_redis == in_memory
    # Spelled out: three in the window, the next held back; a turn exactly 10 s old still
    # counts (at 10.0 and 11.0), one just older no longer does (at 10.5, 11.5, 12.5).
    assert in_redis == [True, True, True, False, False, True, False, True, True,
                        True, True, True, False, True]


def test_one_notice_per_flood_across_workers(prefix: str) -> None:
    a, b = worker(prefix, limit=1), worker(prefix, limit=1)
    assert a.allow("p", 0.0) and not b.allow("p", 1.0)
    assert b.should_warn("p")
    assert not a.should_warn("p") and not b.should_warn("p")
    assert a.allow("p", 20.0)  # the flood is over; a next one gets its notice again
    assert not b.allow("p", 21.0)
    assert a.should_warn("p") and not b.should_warn("p")


def test_redis_forgets_a_person_after_the_window(prefix: str) -> None:
    limiter = worker(prefix, limit=1, window=10.0)
    limiter.allow("p", time.time())
    limiter.allow("p", time.time())
    limiter.should_warn("p")
    client = redis.Redis.from_url(REDIS_URL)
    keys = sorted(k.decode() for k in client.scan_iter(match=prefix + "*"))
    assert keys == [f"{prefix}{{p}}:turns", f"{prefix}{{p}}:warned"]
    assert all(0 < client.pttl(k) <= 11_000 for k in keys)


def test_unreachable_redis_lets_everyone_through_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter = RedisFloodLimiter(redis_client(f"redis://127.0.0.1:{closed_port()}/0"), 1, 10.0)
    with caplog.at_level(logging.INFO, logger="bot.conversation.flood"):
        assert all(limiter.allow("a1b2c3", 100.0 + i) for i in range(5))
        assert limiter.should_warn("a1b2c3")
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "ConnectionError" in caplog.text and "a1b2c3" not in caplog.text


def test_a_silent_redis_holds_nobody_up() -> None:
    with socket.socket() as server:  # accepts connections, never answers
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        port = server.getsockname()[1]
        limiter = RedisFloodLimiter(redis_client(f"redis://127.0.0.1:{port}/0"), 1, 10.0)
        started = time.monotonic()
        assert all(limiter.allow("p", 100.0 + i) for i in range(50))
        # One timeout (and one retry), then Redis is left alone: not 50 timeouts.
        assert time.monotonic() - started < 2.0


def test_one_warning_per_outage_and_limits_again_once_redis_answers(
    prefix: str, caplog: pytest.LogCaptureFixture,
) -> None:
    outage = flood_outage(retry_seconds=0)
    dead = RedisFloodLimiter(redis_client(f"redis://127.0.0.1:{closed_port()}/0"), 1, 10.0,
                             prefix, outage)
    live = worker(prefix, limit=1, outage=outage)
    with caplog.at_level(logging.INFO, logger="bot.conversation.flood"):
        assert dead.allow("p", 0.0) and dead.allow("p", 1.0)  # one outage, one warning
        assert live.allow("p", 2.0) and not live.allow("p", 3.0)  # back: limits apply
        assert dead.allow("p", 4.0)  # a second outage
    assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.INFO,
                                                   logging.WARNING]


def test_the_workers_limiters_come_from_the_settings() -> None:
    messages, presses = flood_limiters(Settings(pseudonym_secret="x"))
    assert isinstance(messages, FloodLimiter) and isinstance(presses, FloodLimiter)
    settings = Settings(pseudonym_secret="x", redis_url=REDIS_URL, flood_messages=4,
                        flood_presses=9, flood_window_seconds=7)
    messages, presses = flood_limiters(settings)
    assert isinstance(messages, RedisFloodLimiter) and isinstance(presses, RedisFloodLimiter)
    assert (messages.limit, presses.limit, messages.window) == (4, 9, 7)
    assert messages.prefix != presses.prefix and messages.outage is presses.outage


# ----------------------------------------------------------- two real workers, one person
LIMIT = 3


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def test_a_person_spread_over_two_workers_is_held_back_once(
    tg: FakeTelegram, sqlite_database: Database
) -> None:
    require_redis(REDIS_URL)
    # Both workers as deployed: the same secret, database and Redis; a window longer than
    # the test, so no turn falls out of it.
    settings = bot_settings(tg, redis_url=REDIS_URL, flood_presses=LIMIT,
                            flood_window_seconds=60)
    person = tg.user(7_015_001, language_code="nl")
    try:
        async with running_bot(settings, sqlite_database) as one, \
                running_bot(settings, sqlite_database) as two:
            answers = []
            for i in range(LIMIT + 4):
                await tg.send_command(person, "/start")
                [raw] = tg.take_updates()
                before = len(tg.sent(person))
                app: Application = (one, two)[i % 2]
                await app.process_update(Update.de_json(raw, app.bot))
                answers.append([m.plain_text for m in tg.sent(person)[before:]])
    finally:
        delete_keys(f"{REDIS_PREFIX}*{pseudonym_for(person.id, settings.pseudonym_secret)}*")
    assert all(a and FLOOD_NOTICE not in a for a in answers[:LIMIT]), answers[:LIMIT]
    assert answers[LIMIT] == [FLOOD_NOTICE]
    assert answers[LIMIT + 1:] == [[]] * 3
