"""Fault: a bot worker killed under load (issue 15), with two real worker processes.

Two ``steunwijzer bot`` processes in webhook mode (their own ports, the same PostgreSQL test
database and Redis) talk to the fake Telegram Bot API. In front of them the test plays
Telegram's webhook sender and the operator's proxy (:mod:`fakes.webhook_delivery`): one queue
per chat, several chats at once, updates spread over the workers, and an update that got no
200 sent again to the other worker.

The NLU service is the fault tests' replica (:mod:`fault_nlu`: keyword understanding with
Rasa's protocol), not degraded mode: the bot runs its normal path, and the test can hold every
NLU request, so it knows the killed worker holds updates in flight (taken, not answered)
without waiting for time to pass. The real Rasa behind two workers is the ``scale-out`` phase
of ``make bench``.

What a person sees is read from the fake Telegram: each of their messages answered once, in
the order they wrote them.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from fakes.telegram_api import FakeTelegram, FakeUser
from fakes.webhook_delivery import DeliversByWebhook, WebhookDelivery, audit
from fault_harness import free_port
from fault_nlu import NluReplica
from lock_waits import until_waiting
from redis_available import require_redis

from bot.channels.telegram_priority import DIALOGUE_SLOTS
from bot.db.session import Database
from bot.privacy.sealed import generate_key

pytestmark = [pytest.mark.postgres,
              pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)]

#: A Redis database of these tests' own (others: 7 flood limits, 11 shared memory).
REDIS_URL = "redis://127.0.0.1:6379/13"
#: How long a worker may take to start (imports, language models) on a loaded machine.
START_TIMEOUT = 120.0
#: What each person writes, in this order; the two answers differ, so an answer given twice,
#: lost or out of order shows in the transcript.
SCRIPT = ("hallo", "dank je wel", "hallo", "dank je wel")
PEOPLE = 16
STEUNWIJZER = Path(sys.executable).with_name("steunwijzer")


class TelegramWithWorkers(DeliversByWebhook):
    """The fake Bot API, delivering webhook updates through a :class:`WebhookDelivery`."""


@dataclass
class Worker:
    """One ``steunwijzer bot`` process."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would, and wait until it is gone."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM (the worker finishes what it took), SIGKILL if it does not exit."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)




@pytest.fixture
def redis_db() -> Iterator[str]:
    """This test's Redis database, emptied of the bot's keys afterwards."""
    require_redis(REDIS_URL)
    yield REDIS_URL
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match="steunwijzer:*"):
        client.delete(key)


@dataclass
class Stack:
    """The fake Telegram, the delivery in front of the workers, the NLU replica, the
    workers, and the database they share."""

    tg: TelegramWithWorkers
    delivery: WebhookDelivery
    nlu: NluReplica
    workers: list[Worker]
    database: Database
    secret: str

    async def say(self, user: FakeUser, words: str) -> list[str]:
        """``user`` writes ``words``; what the bot answered once a worker took the update."""
        before = len(self.tg.sent(user))
        await self.tg.send_text(user, words)
        await self.delivery.idle()
        await self.tg.wait_until(lambda: len(self.tg.sent(user)) > before, timeout=30)
        return [m.plain_text for m in self.tg.sent(user)[before:]]

    def transcript(self, user: FakeUser) -> list[str]:
        return [m.plain_text for m in self.tg.sent(user)]


def worker_env(tg: FakeTelegram, database: Database, nlu: NluReplica, redis_url: str,
               secret: str, public_url: str, shared: dict[str, str], port: int,
               data_dir: Path) -> dict[str, str]:
    """The environment of one worker: the same for all but its port and data folder."""
    return {
        **os.environ,
        **tg.subprocess_env(),
        **shared,
        "STEUNWIJZER_DATA_DIR": str(data_dir),
        "STEUNWIJZER_DATABASE_URL": database.url,
        "STEUNWIJZER_REDIS_URL": redis_url,
        "STEUNWIJZER_RASA_URL": nlu.url,
        "STEUNWIJZER_RASA_TOKEN": "fault-test-token",
        "STEUNWIJZER_WEBHOOK_URL": public_url,
        "STEUNWIJZER_WEBHOOK_SECRET": secret,
        "STEUNWIJZER_WEBHOOK_LISTEN": "127.0.0.1",
        "STEUNWIJZER_WEBHOOK_PORT": str(port),
        # Four messages in a few seconds is no flood here.
        "STEUNWIJZER_FLOOD_MESSAGES": "100",
        # The test holds NLU requests while a worker dies; on a loaded machine that may take
        # longer than the usual time-out, and a degraded answer is not what is tested here.
        "STEUNWIJZER_RASA_TIMEOUT_SECONDS": "60",
    }


@asynccontextmanager
async def two_workers(database: Database, redis_url: str,
                      tmp_path: Path) -> AsyncIterator[Stack]:
    """Everything of :class:`Stack` running; the workers stopped (by pid) afterwards."""
    secret = secrets.token_urlsafe(32)
    shared = {
        "STEUNWIJZER_PSEUDONYM_SECRET": secrets.token_urlsafe(32),
        "STEUNWIJZER_ENCRYPTION_KEY": generate_key(),
    }
    # The public URL Telegram is given; the proxy (the delivery) keeps its path. Nothing
    # listens there: the fake never posts to it itself.
    public_url = f"http://127.0.0.1:{free_port()}/telegram"
    nlu = await NluReplica().start()
    workers: list[Worker] = []
    async with TelegramWithWorkers() as tg:
        try:
            for name in ("a", "b"):
                port = free_port()
                data_dir = tmp_path / f"worker-{name}"
                data_dir.mkdir()
                log_path = tmp_path / f"worker-{name}.out"
                env = worker_env(tg, database, nlu, redis_url, secret, public_url, shared,
                                 port, data_dir)
                process = subprocess.Popen([str(STEUNWIJZER), "bot"], env=env,
                                           stdout=log_path.open("wb"),
                                           stderr=subprocess.STDOUT)
                workers.append(Worker(name, port, process, log_path))
            delivery = WebhookDelivery([w.url for w in workers], answers_in=tg.answers_in)
            tg.delivery = delivery
            try:
                await started(tg, workers)
                yield Stack(tg, delivery, nlu, workers, database, secret)
            finally:
                nlu.release()
                await delivery.close()
        finally:
            await asyncio.gather(*(asyncio.to_thread(w.stop) for w in workers))
            await nlu.close()


async def started(tg: FakeTelegram, workers: list[Worker]) -> None:
    """Until every worker has set the webhook (it listens from then on) and says it is
    ready; a worker that exits on the way fails the test with its log."""

    def set_by_all() -> bool:
        return len(tg.calls("setWebhook")) >= len(workers) or any(
            w.process.poll() is not None for w in workers)

    try:
        await tg.wait_until(set_by_all, timeout=START_TIMEOUT)
    except AssertionError as exc:
        logs = "\n".join(f"--- worker {w.name}:\n{w.log()[-3000:]}" for w in workers)
        raise AssertionError(f"{exc}\n{logs}") from None
    for worker in workers:
        assert worker.process.poll() is None, f"worker {worker.name} exited:\n{worker.log()}"
    calls = tg.calls("setWebhook")
    assert all(c.ok and c.params.get("secret_token") for c in calls), [str(c) for c in calls]
    async with httpx.AsyncClient(timeout=10) as client:
        for worker in workers:
            ready = await client.get(f"{worker.url}/readyz")
            assert ready.status_code == 200, (worker.name, ready.text)




async def reference_answers(stack: Stack) -> dict[str, list[str]]:
    """What a new person is answered to each line of :data:`SCRIPT`, one turn at a time."""
    person = stack.tg.user(9_300_000, language_code="nl", first_name="Anon")
    answers = {words: await stack.say(person, words) for words in dict.fromkeys(SCRIPT)}
    assert all(answers.values()), answers
    assert len({tuple(a) for a in answers.values()}) == len(answers), answers
    return answers


def repeated_updates(worker: Worker) -> float:
    """``steunwijzer_updates_repeated_total`` on the worker's /metrics."""
    body = httpx.get(f"{worker.url}/metrics", timeout=10).text
    for line in body.splitlines():
        if line.startswith("steunwijzer_updates_repeated_total"):
            return float(line.split()[-1])
    return 0.0


async def test_a_worker_killed_under_load_leaves_its_updates_to_the_other(
    database: Database, redis_db: str, tmp_path: Path
) -> None:
    async with two_workers(database, redis_db, tmp_path) as stack:
        tg, delivery, nlu = stack.tg, stack.delivery, stack.nlu
        a, b = stack.workers
        answers = await reference_answers(stack)
        expected = [line for words in SCRIPT for line in answers[words]]

        # Everyone writes their four messages at once while the NLU service holds every
        # request: each chat's first update is out, spread over both workers, and each
        # worker has as many turns waiting on the NLU service as it has dialogue slots.
        nlu.hold()
        people = [tg.user(9_300_101 + i, language_code="nl", first_name="Anon")
                  for i in range(PEOPLE)]
        for person in people:
            for words in SCRIPT:
                await tg.send_text(person, words)
        await delivery.wait_until(lambda: len(delivery.in_flight()) == PEOPLE)
        at_a = {attempt.update_id for attempt in delivery.in_flight(0)}
        at_b = {attempt.update_id for attempt in delivery.in_flight(1)}
        assert at_a and at_b, "the proxy spreads the updates over both workers"
        await nlu.wait_in_flight(min(len(at_a), DIALOGUE_SLOTS)
                                 + min(len(at_b), DIALOGUE_SLOTS))

        # Worker a dies with its updates taken and not answered. Telegram got no 200 for
        # them: they go again, to worker b.
        await asyncio.to_thread(a.kill)

        def taken_over() -> bool:
            return all(any(x.update_id == u and x.worker == 1 for x in delivery.attempts)
                       for u in at_a)

        await delivery.wait_until(taken_over)
        nlu.release()
        await delivery.idle(timeout=120)

        # Every update answered, once, and each person's answers in the order they wrote.
        for person in people:
            assert stack.transcript(person) == expected, person.id
        chats = [p.id for p in people]
        counts = audit(tg, delivery, chats)
        assert counts.updates == counts.taken == PEOPLE * len(SCRIPT), counts
        assert counts.dropped == 0 and counts.duplicates == 0, counts
        assert counts.order_violations == 0, counts
        # The kill hit updates in flight at a: they got no answer from a (no 200, nothing
        # sent) and were answered by b.
        killed = [x for x in delivery.attempts if x.worker == 0 and x.update_id in at_a]
        assert killed and all(x.status == 0 and x.answers == 0 for x in killed), killed
        assert counts.retried >= len(at_a), counts
        assert b.process.poll() is None
        assert "Traceback" not in b.log(), b.log()
        tg.assert_no_rejected()


async def test_an_update_delivered_to_both_worker_processes_is_answered_once(
    database: Database, redis_db: str, tmp_path: Path
) -> None:
    async with two_workers(database, redis_db, tmp_path) as stack:
        tg, delivery, nlu = stack.tg, stack.delivery, stack.nlu
        a, b = stack.workers
        answers = await reference_answers(stack)
        person = tg.user(9_300_201, language_code="nl", first_name="Anon")
        tg.holding = True
        await tg.send_text(person, "hallo")
        [update] = tg.take_updates()
        tg.holding = False
        nlu.hold()
        texts_before = len(nlu.texts)
        repeated_before = await asyncio.to_thread(repeated_updates, b)

        # Worker a is answering it (its turn waits on the NLU service) when Telegram,
        # having had no 200 yet, sends it again and the proxy picks worker b, which waits
        # for a's answer ...
        at_a = asyncio.create_task(delivery.post(0, update, secret=stack.secret))
        await nlu.wait_in_flight(1)
        at_b = asyncio.create_task(delivery.post(1, update, secret=stack.secret))
        await until_waiting(stack.database, 1)
        nlu.release()
        assert await asyncio.gather(at_a, at_b) == [200, 200]
        # ... and skips it; so does a later delivery.
        assert await delivery.post(1, update, secret=stack.secret) == 200
        assert await delivery.post(0, update, secret=stack.secret) == 200

        assert stack.transcript(person) == answers["hallo"]
        assert nlu.texts[texts_before:] == ["hallo"]
        assert await asyncio.to_thread(repeated_updates, b) == repeated_before + 2
        assert a.process.poll() is None and b.process.poll() is None
        tg.assert_no_rejected()
