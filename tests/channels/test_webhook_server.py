"""One bot worker's webhook server (bot/channels/webhook_server.py) as Telegram and an
operator meet it: updates only with the secret, each answered once, and the health,
readiness and metrics endpoints. The worker runs as ``steunwijzer bot`` runs it, against the
fake Bot API, which delivers updates by webhook; the NLU service is down (degraded mode)."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fakes.telegram_api import WEBHOOK_SECRET_HEADER, FakeTelegram
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families
from security.telegram_harness import base_url, free_port, webhook_worker

from bot.conversation.models import HandledUpdate
from bot.db.session import Database

SECRET = secrets.token_urlsafe(32)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


def handled(database: Database) -> set[int]:
    with database.session() as session:
        return {row.update_id for row in session.query(HandledUpdate)}


def an_update(update_id: int, user_id: int, words: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1, "date": int(time.time()), "text": words,
            "from": {"id": user_id, "is_bot": False, "first_name": "T", "language_code": "nl"},
            "chat": {"id": user_id, "type": "private", "first_name": "T"},
        },
    }


def metric(text: str, name: str, **labels: str) -> float:
    """A sample's value in a Prometheus exposition (0 when it is not there yet)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


async def test_without_the_secret_nothing_is_read_or_handled(
    tg: FakeTelegram, sqlite_database: Database
) -> None:
    async with webhook_worker(tg, sqlite_database, webhook_secret=SECRET) as worker:
        url = worker.context.settings.webhook_url or ""
        update = an_update(555_001, 7_300_001, "/start")
        async with httpx.AsyncClient(timeout=10) as client:
            statuses = [
                (await client.post(url, json=update, headers=headers)).status_code
                for headers in ({}, {WEBHOOK_SECRET_HEADER: SECRET[:-2]},
                                {WEBHOOK_SECRET_HEADER: SECRET + "x"},
                                {WEBHOOK_SECRET_HEADER: secrets.token_urlsafe(32)})
            ]
            # Not even a body that is no update gets further than the door.
            junk = await client.post(url, content=b"\x00not json", headers={})
        assert statuses == [403, 403, 403, 403] and junk.status_code == 403
        assert tg.sent(7_300_001) == []
        assert handled(sqlite_database) == set()


async def test_an_update_delivered_again_is_answered_once(
    tg: FakeTelegram, sqlite_database: Database
) -> None:
    async with webhook_worker(tg, sqlite_database, webhook_secret=SECRET) as worker:
        person = tg.user(7_300_002)
        await tg.send_command(person, "/start")  # Telegram delivers it; answered
        answer = await tg.wait_for_messages(person)
        [(update_id, status)] = tg.webhook_deliveries
        assert status == 200 and handled(sqlite_database) == {update_id}
        async with httpx.AsyncClient(timeout=10) as client:
            metrics_before = (await client.get(f"{base_url(worker)}/metrics")).text
            again = an_update(update_id, person.id, "/start")
            response = await client.post(worker.context.settings.webhook_url or "", json=again,
                                         headers={WEBHOOK_SECRET_HEADER: SECRET})
            metrics_after = (await client.get(f"{base_url(worker)}/metrics")).text
        assert response.status_code == 200
        assert tg.sent(person) == answer  # nothing more
        name = "steunwijzer_updates_repeated_total"
        assert metric(metrics_after, name) == metric(metrics_before, name) + 1


async def test_health_readiness_and_the_metrics_after_a_turn(
    tg: FakeTelegram, sqlite_database: Database
) -> None:
    async with webhook_worker(tg, sqlite_database, webhook_secret=SECRET) as worker:
        base = base_url(worker)
        async with httpx.AsyncClient(timeout=10) as client:
            health = await client.get(f"{base}/healthz")
            ready = await client.get(f"{base}/readyz")
            before = (await client.get(f"{base}/metrics")).text
            person = tg.user(7_300_003)
            # Telegram's delivery of each gets its 200 once the answer is out.
            await tg.send_text(person, "ik zoek hulp met schulden")
            await tg.send_text(person, "ik wil dood")
            response = await client.get(f"{base}/metrics")
        after = response.text
        assert (health.status_code, ready.status_code, ready.text) == (200, 200, "ready")
        assert response.headers["content-type"] == CONTENT_TYPE_LATEST
        assert [status for _, status in tg.webhook_deliveries] == [200, 200]
        assert len(tg.sent(person)) >= 2

        def grew(name: str, by: float = 1, **labels: str) -> bool:
            return metric(after, name, **labels) == metric(before, name, **labels) + by

        # The NLU service is down: the first message is answered in degraded mode.
        assert grew("steunwijzer_answers_total", channel="telegram", kind="text")
        assert grew("steunwijzer_degraded_answers_total")
        assert grew("steunwijzer_nlu_failures_total")
        # The second gets the crisis answer, counted by kind of signal.
        assert grew("steunwijzer_answers_total", channel="telegram", kind="crisis")
        assert grew("steunwijzer_crisis_answers_total", kind="suicide")
        # No label that could tell who wrote or what.
        assert str(person.id) not in after and "dood" not in after


async def test_not_ready_without_the_database_but_alive(tg: FakeTelegram) -> None:
    unreachable = Database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing")
    try:
        async with webhook_worker(tg, unreachable, webhook_secret=SECRET) as worker:
            base = base_url(worker)
            async with httpx.AsyncClient(timeout=10) as client:
                health = await client.get(f"{base}/healthz")
                ready = await client.get(f"{base}/readyz")
                # It still answers people (the crisis net needs no database).
                person = tg.user(7_300_004)
                await tg.send_text(person, "ik wil dood")
    finally:
        unreachable.dispose()
    assert health.status_code == 200
    assert (ready.status_code, ready.text) == (503, "database unavailable")
    assert any("113" in message.plain_text for message in tg.sent(person))
