"""Reminders with several bot workers: two workers running the reminder job at once queue
each reminder once, and a restart of everything with reminders and answers still queued
delivers each exactly once, through the fake Telegram Bot API."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time, timedelta

import pytest
from fakes.telegram_api import FakeTelegram
from sqlalchemy import func, select
from staffgroups import make_facilitator, make_group
from telegram import Bot

from bot.channels.telegram_jobs import telegram_sender
from bot.context import AppContext
from bot.db.claims import exclusive
from bot.db.session import Database
from bot.facilitators import meetings as meeting_service
from bot.facilitators.meetings import MeetingDraft
from bot.facilitators.recurrence import Repeat
from bot.outbox import service as outbox
from bot.outbox.models import OutboundMessage
from bot.outbox.pacing import Pacer
from bot.reminders import job, subscriptions
from bot.runtime.metrics import REGISTRY
from bot.vocabulary import Reply

ON_POSTGRES = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
FIRST_CHAT = 9_400_000


@pytest.fixture
def weekly(context: AppContext):
    """A weekly group on Tuesdays 19:30 (first 24 March 2026)."""
    with context.database.session() as session:
        group_id = make_group(session)
        facilitator = make_facilitator(session, context, group_id, 77_001)
        created = meeting_service.create_meeting(session, context, facilitator, MeetingDraft(
            group_id=group_id, day=date(2026, 3, 24), start=time(19, 30), end=time(21, 30),
            repeat=Repeat.WEEKLY, place="Buurthuis De Linde", languages=("nl",)))
    return group_id, created[0]


def subscribe_many(context: AppContext, group_id: str, count: int) -> list[int]:
    chats = [FIRST_CHAT + n for n in range(count)]
    with context.database.session() as session:
        for chat_id in chats:
            assert subscriptions.subscribe(session, context, pseudonym=f"p-{chat_id}",
                                           chat_id=chat_id, group_id=group_id,
                                           language="nl") is not None
    return chats


def another_worker(context: AppContext) -> AppContext:
    return AppContext(context.settings, Database(context.database.url), context.clock)


def queued_per_purpose(context: AppContext) -> dict[str, int]:
    with context.database.session() as session:
        return dict(session.execute(
            select(OutboundMessage.purpose, func.count()).group_by(OutboundMessage.purpose)
        ).all())


@ON_POSTGRES
def test_two_workers_running_the_reminder_job_at_once_queue_each_reminder_once(
    context: AppContext, clock, weekly,
) -> None:
    group_id, first = weekly
    subscribe_many(context, group_id, 12)
    clock.now = first.starts_at - timedelta(hours=24)
    workers = [another_worker(context), another_worker(context)]
    start_together = threading.Barrier(2)

    def run(worker: AppContext) -> job.JobReport | None:
        start_together.wait(timeout=30)
        return job.run_exclusively(worker)

    try:
        with ThreadPoolExecutor(2) as pool:
            reports = list(pool.map(run, workers))
    finally:
        for worker in workers:
            worker.database.dispose()
    assert sum(report.reminders for report in reports if report is not None) == 12
    per_purpose = queued_per_purpose(context)
    assert len(per_purpose) == 12 and set(per_purpose.values()) == {1}
    assert job.run_once(context).reminders == 0  # and none left for later


@ON_POSTGRES
def test_while_one_worker_runs_the_reminder_job_another_skips_it(
    context: AppContext, clock, weekly,
) -> None:
    group_id, first = weekly
    subscribe_many(context, group_id, 3)
    clock.now = first.starts_at - timedelta(hours=24)
    other = another_worker(context)
    try:
        with exclusive(other.database, job.REMINDERS_JOB) as theirs:
            assert theirs
            assert job.run_exclusively(context) is None  # the other worker has it
            assert queued_per_purpose(context) == {}
        report = job.run_exclusively(context)
        assert report is not None and report.reminders == 3
    finally:
        other.database.dispose()


class Died(BaseException):
    """The whole machine stopped (not an error anything in the bot handles)."""


class DyingTime:
    """The pacer's time, virtual; the process dies when the pacer waits for the n-th time."""

    def __init__(self, dies_at_wait: int | None = None) -> None:
        self.now = 0.0
        self.waits = 0
        self.dies_at_wait = dies_at_wait

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits += 1
        if self.waits == self.dies_at_wait:
            raise Died
        self.now += seconds


async def test_a_restart_of_everything_sends_each_pending_message_exactly_once(
    context: AppContext, clock, weekly,
) -> None:
    group_id, first = weekly
    subscribers = subscribe_many(context, group_id, 6)
    answered = [FIRST_CHAT + 100 + n for n in range(3)]
    with context.database.session() as session:
        for n, chat_id in enumerate(answered):
            outbox.enqueue(session, context, chat_id=chat_id, purpose=f"request:AB-CD{n}",
                           reply=Reply(f"Antwoord van de coördinator {n}"))
    clock.now = first.starts_at - timedelta(hours=24)
    duplicates = REGISTRY.get_sample_value("steunwijzer_outbox_possible_duplicates_total") or 0

    async with FakeTelegram() as tg:
        people = {chat_id: tg.user(chat_id) for chat_id in subscribers + answered}
        # Before: a worker queues the reminders and has sent 4 of 9 messages when everything
        # stops (bot, database connections, all of it).
        before = another_worker(context)
        assert job.run_exclusively(before).reminders == 6  # type: ignore[union-attr]
        dying = DyingTime(dies_at_wait=4)
        async with Bot(tg.token, base_url=tg.api_base_url) as bot:
            with pytest.raises(Died):
                await outbox.deliver_due(before, telegram_sender(bot),
                                         pacer=Pacer(25, clock=dying, sleep=dying.sleep))
        before.database.dispose()
        assert sum(len(tg.sent(chat_id)) for chat_id in people) == 4

        # After: new processes, new connections; the jobs run again from the database.
        after = another_worker(context)
        assert job.run_exclusively(after).reminders == 0  # type: ignore[union-attr]
        time_after = DyingTime()
        async with Bot(tg.token, base_url=tg.api_base_url) as bot:
            assert await outbox.deliver_due(
                after, telegram_sender(bot), pacer=Pacer(25, clock=time_after,
                                                         sleep=time_after.sleep)) == 5
        after.database.dispose()

        for chat_id in subscribers:
            [reminder] = tg.sent(chat_id)
            assert "Buurthuis De Linde" in reminder.plain_text
        for n, chat_id in enumerate(answered):
            assert [m.plain_text for m in tg.sent(chat_id)] == [
                f"Antwoord van de coördinator {n}"]
        tg.assert_no_rejected()
    assert queued_per_purpose(context) == {}
    assert (REGISTRY.get_sample_value("steunwijzer_outbox_possible_duplicates_total") or 0) \
        == duplicates
