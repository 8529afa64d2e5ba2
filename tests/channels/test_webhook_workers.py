"""Two bot workers behind one webhook, on one PostgreSQL database (issue 15).

Each worker is what ``steunwijzer bot`` runs with a webhook URL: python-telegram-bot's
application and the webhook server (bot/channels/webhook_server.py), here two of them in one
test process, each with its own database connections. The test plays Telegram and the proxy:
it posts updates to the workers directly, at the same time, as Telegram does over several
connections. The NLU service is a stand-in the test holds back, so a turn is known to be in
progress while the next update arrives; what people see is read from the fake Bot API.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from conversation.fake_nlu import FakeNlu
from fakes.telegram_api import WEBHOOK_SECRET_HEADER, FakeTelegram, SentMessage
from lock_waits import until_waiting
from security.telegram_harness import webhook_worker
from sqlalchemy import text

from bot.channels.webhook_server import WebhookWorker
from bot.conversation.ordering import advisory_key
from bot.db.session import Database
from bot.privacy.sealed import generate_key
from bot.runtime.metrics import REGISTRY

pytestmark = [pytest.mark.postgres,
              pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)]

SECRET = secrets.token_urlsafe(32)
#: What the stand-in NLU service makes of the test's messages: two questions with answers
#: that tell them apart.
MEANINGS: dict[str, tuple[str, dict[str, str]]] = {
    "wat kun je?": ("bot_help", {}),
    "wat bewaar je over mij?": ("ask_privacy", {}),
}


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def nlu() -> AsyncIterator[FakeNlu]:
    async with FakeNlu(meanings=dict(MEANINGS)).running() as fake:
        yield fake


@asynccontextmanager
async def two_workers(tg: FakeTelegram, database: Database,
                      nlu: FakeNlu) -> AsyncIterator[tuple[WebhookWorker, WebhookWorker]]:
    """Two workers with the same configuration (secrets, NLU service, database URL), each
    with its own connections. The fake's webhook is removed again, so the test delivers."""
    same: dict[str, Any] = {
        "webhook_secret": SECRET,
        "pseudonym_secret": secrets.token_urlsafe(32),
        "encryption_key": generate_key(),
        "rasa_url": nlu.url,
        "rasa_token": nlu.token,
    }
    other = Database(database.url)
    try:
        async with webhook_worker(tg, database, **same) as a, \
                webhook_worker(tg, other, **same) as b:
            await a.application.bot.delete_webhook()
            yield a, b
    finally:
        other.dispose()


async def post(client: httpx.AsyncClient, worker: WebhookWorker,
               update: dict[str, Any]) -> int:
    """Deliver ``update`` to ``worker`` as Telegram does; the worker's HTTP status."""
    url = worker.context.settings.webhook_url or ""
    response = await client.post(url, json=update, headers={WEBHOOK_SECRET_HEADER: SECRET})
    return response.status_code




def repeated() -> float:
    return REGISTRY.get_sample_value("steunwijzer_updates_repeated_total") or 0.0


def texts(messages: list[SentMessage]) -> list[str]:
    return [m.plain_text for m in messages]


async def one_answer(tg: FakeTelegram, worker: WebhookWorker, user_id: int,
                     words: str) -> list[str]:
    """What one turn of a new person saying ``words`` looks like (for comparison)."""
    person = tg.user(user_id)
    await tg.send_text(person, words)
    [update] = tg.take_updates()
    async with httpx.AsyncClient(timeout=30) as client:
        assert await post(client, worker, update) == 200
    return texts(tg.sent(person))


async def test_an_update_delivered_to_both_workers_is_answered_once(
    tg: FakeTelegram, database: Database, nlu: FakeNlu
) -> None:
    async with two_workers(tg, database, nlu) as (a, b):
        expected = await one_answer(tg, a, 7_100_001, "wat kun je?")
        assert expected
        person = tg.user(7_100_002)
        await tg.send_text(person, "wat kun je?")
        [update] = tg.take_updates()
        nlu.gate = asyncio.Event()
        before = repeated()
        async with httpx.AsyncClient(timeout=30) as client:
            at_a = asyncio.create_task(post(client, a, update))
            assert await nlu.arrivals.get() == "wat kun je?"  # expected's arrival
            assert await nlu.arrivals.get() == "wat kun je?"  # worker a is answering it
            # Telegram, having had no answer yet, sends it again: the proxy picks worker b,
            # which waits for worker a's answer ...
            at_b = asyncio.create_task(post(client, b, update))
            await until_waiting(database, 1)
            nlu.gate.set()
            assert await asyncio.gather(at_a, at_b) == [200, 200]
            # ... and skips it. A third delivery, later, is skipped at once.
            assert await post(client, b, update) == 200
        assert texts(tg.sent(person)) == expected
        assert nlu.texts.count("wat kun je?") == 2  # the comparison's and this one's
        assert repeated() == before + 2


async def test_one_persons_messages_at_two_workers_are_answered_in_order_one_at_a_time(
    tg: FakeTelegram, database: Database, nlu: FakeNlu
) -> None:
    async with two_workers(tg, database, nlu) as (a, b):
        first_answer = await one_answer(tg, a, 7_200_001, "wat kun je?")
        second_answer = await one_answer(tg, b, 7_200_002, "wat bewaar je over mij?")
        assert first_answer != second_answer
        nlu.texts.clear()
        while not nlu.arrivals.empty():
            nlu.arrivals.get_nowait()

        person, other = tg.user(7_200_010), tg.user(7_200_020)
        await tg.send_text(person, "wat kun je?")
        await tg.send_text(person, "wat bewaar je over mij?")
        await tg.send_text(other, "wat bewaar je over mij?")
        first, second, others = tg.take_updates()
        nlu.gate = asyncio.Event()
        async with httpx.AsyncClient(timeout=30) as client:
            at_a = asyncio.create_task(post(client, a, first))
            assert await nlu.arrivals.get() == "wat kun je?"  # the first turn is under way
            at_b = asyncio.create_task(post(client, b, second))
            await until_waiting(database, 1)  # the second waits for it, at the other worker
            # Someone else's message at that worker is not held up: it reaches the NLU
            # service while the first person's turn is still open.
            other_at_b = asyncio.create_task(post(client, b, others))
            assert await nlu.arrivals.get() == "wat bewaar je over mij?"
            assert nlu.texts == ["wat kun je?", "wat bewaar je over mij?"]
            nlu.gate.set()
            assert await asyncio.gather(at_a, at_b, other_at_b) == [200, 200, 200]
        # The person sees the first answer whole, then the second.
        assert texts(tg.sent(person)) == first_answer + second_answer
        assert texts(tg.sent(other)) == second_answer
        tg.assert_no_rejected()


async def test_a_crisis_message_waits_for_no_claim(
    tg: FakeTelegram, database: Database, nlu: FakeNlu
) -> None:
    """Even with its update id claimed by a worker that hangs, a message the crisis lexicon
    flags is answered at once."""
    async with two_workers(tg, database, nlu) as (a, _):
        person = tg.user(7_400_001)
        await tg.send_text(person, "ik wil dood")
        [update] = tg.take_updates()
        key = {"key": advisory_key("update", str(update["update_id"]))}
        with database.engine.connect() as hanging:
            hanging.execute(text("SELECT pg_advisory_lock(:key)"), key)
            try:
                async with httpx.AsyncClient(timeout=10) as client:
                    assert await post(client, a, update) == 200
            finally:
                hanging.execute(text("SELECT pg_advisory_unlock(:key)"), key)
        assert any("113" in line for line in texts(tg.sent(person)))
