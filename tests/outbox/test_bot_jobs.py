"""The running bot's jobs (bot/channels/telegram_jobs.py): the outbox job delivers through the
fake Telegram Bot API, also with two workers running it at once; the purge job forgets old
update ids; a job another worker holds is skipped."""

from __future__ import annotations

import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta

from fakes.telegram_api import FakeTelegram
from outbox_harness import ON_POSTGRES, pending, queue
from sqlalchemy import func, select
from telegram.ext import Application

from bot.channels.telegram_app import build_application
from bot.channels.telegram_jobs import PURGE_JOB, exclusively
from bot.context import AppContext
from bot.conversation.models import HandledUpdate
from bot.db.base import utcnow
from bot.db.claims import exclusive
from bot.db.session import Database
from bot.privacy.sealed import generate_key
from bot.requests.retention import purge_job
from bot.settings import Settings


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_settings(tg: FakeTelegram) -> Settings:
    """A bot behind the fake, its NLU service down (not needed here), jobs coming round
    often."""
    return Settings(
        telegram_token=tg.token, telegram_api_base_url=tg.api_base_url,
        telegram_bot_username=tg.bot_username, pseudonym_secret=secrets.token_urlsafe(32),
        encryption_key=generate_key(), rasa_url=f"http://127.0.0.1:{closed_port()}",
        outbox_interval_seconds=0.2,
    )


@asynccontextmanager
async def running(context: AppContext) -> AsyncIterator[Application]:
    """The bot application with its jobs running (not fetching updates: not needed here)."""
    application = build_application(context)
    async with application:
        assert application.post_init is not None and application.post_shutdown is not None
        await application.post_init(application)
        await application.start()
        try:
            yield application
        finally:
            await application.stop()
            await application.post_shutdown(application)


async def test_the_running_bot_delivers_the_outbox_with_its_job(database: Database) -> None:
    async with FakeTelegram() as tg:
        person = tg.user(7_501)
        context = AppContext(bot_settings(tg), database)
        queue(context, person.id, "Uw vraag is beantwoord.")
        async with running(context):
            [message] = await tg.wait_for_messages(person, timeout=60)
        assert message.plain_text == "Uw vraag is beantwoord."
        assert pending(context) == 0
        tg.assert_no_rejected()


@ON_POSTGRES
async def test_two_workers_running_the_outbox_job_send_each_message_once(
    database: Database,
) -> None:
    async with FakeTelegram() as tg:
        people = [tg.user(7_600 + n) for n in range(20)]
        settings = bot_settings(tg)
        workers = [AppContext(settings, Database(database.url)) for _ in range(2)]
        for number in range(2):
            for person in people:
                queue(workers[0], person.id, f"Bericht {number}")
        try:
            async with AsyncExitStack() as stack:
                for worker in workers:
                    await stack.enter_async_context(running(worker))
                await tg.wait_until(
                    lambda: all(len(tg.sent(person)) >= 2 for person in people), timeout=60)
            for person in people:
                assert [m.plain_text for m in tg.sent(person)] == ["Bericht 0", "Bericht 1"]
            assert pending(workers[0]) == 0
        finally:
            for worker in workers:
                worker.database.dispose()


def test_the_purge_job_forgets_old_update_ids_unless_another_worker_runs_it(
    database: Database,
) -> None:
    settings = Settings(update_memory_hours=24)
    context = AppContext(settings, database)
    now = utcnow()
    with database.session() as session:
        session.add_all([
            HandledUpdate(update_id=1, handled_at=now - timedelta(hours=25)),
            HandledUpdate(update_id=2, handled_at=now - timedelta(hours=23)),
        ])

    def kept() -> list[int]:
        with database.session() as session:
            return sorted(session.scalars(select(HandledUpdate.update_id)))

    other = Database(database.url)
    try:
        with exclusive(other, PURGE_JOB) as theirs:
            ran_here = exclusively(context, PURGE_JOB, purge_job)
        # On PostgreSQL the other worker had the job; SQLite has one process only.
        assert ran_here == (database.engine.dialect.name == "sqlite") and theirs
        assert kept() == ([2] if ran_here else [1, 2])
        assert exclusively(context, PURGE_JOB, purge_job)
        assert kept() == [2]
        with database.session() as session:
            assert session.scalar(select(func.count()).select_from(HandledUpdate)) == 1
    finally:
        other.dispose()
