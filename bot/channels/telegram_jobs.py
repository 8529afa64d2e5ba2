"""JobQueue jobs of the Telegram bot: the outbox, reminders, retention and the purge.

Every worker schedules every job; each run takes the job's claim in the database first
(``bot/db/claims.py``), so a job runs in one worker at a time and another worker's round
simply skips. The services do the work (synchronously, in a worker thread:
``Database.run_sync``, never on the event loop); only the outbox needs Telegram, to send
what is due: :func:`telegram_sender` tells its errors apart for it.
Feedback questions are outbox messages due a week later, so they need no job of their own.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot.channels.telegram_handlers import router_of
from bot.channels.telegram_render import retry_after_seconds, send_reply
from bot.context import AppContext
from bot.db.claims import exclusive
from bot.outbox import service as outbox
from bot.outbox.errors import MaybeSent, SlowDown, Undeliverable
from bot.outbox.pacing import Pacer
from bot.outbox.sending import Send
from bot.reminders import job as reminder_job
from bot.requests.retention import purge_job, run_retention
from bot.vocabulary import Reply

RETENTION_INTERVAL_SECONDS = 3600
#: Claim names of the jobs run here (the outbox and reminders name their own).
RETENTION_JOB = "retention"
PURGE_JOB = "conversations"

#: Failures before the request reached Telegram: the message surely did not arrive.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _context(ctx: ContextTypes.DEFAULT_TYPE) -> AppContext:
    return router_of(ctx).pipeline.context


def _may_have_arrived(error: NetworkError) -> bool:
    """No answer came (a timeout, a connection lost mid-request), unless the request never
    left; a 5xx answer is a NetworkError without an httpx cause: Telegram answered, so it
    was not sent."""
    cause = error.__cause__
    if isinstance(cause, _NOT_SENT):
        return False
    return isinstance(error, TimedOut) or isinstance(cause, httpx.HTTPError)


def telegram_sender(bot: Bot) -> Send:
    """What the outbox sends with: one reply to one chat, with Telegram's errors told apart
    the way the outbox needs them (``bot/outbox/errors.py``)."""

    async def send(chat_id: int, reply: Reply) -> None:
        try:
            await send_reply(bot, chat_id, reply, retries=0)  # 429: the outbox pauses
        except RetryAfter as error:
            raise SlowDown(retry_after_seconds(error)) from error
        except (Forbidden, ChatMigrated) as error:  # blocked, deactivated, group moved
            raise Undeliverable(Undeliverable.CHAT_GONE) from error
        except BadRequest as error:
            gone = "chat not found" in error.message.lower()
            raise Undeliverable(Undeliverable.CHAT_GONE if gone else Undeliverable.REFUSED) \
                from error
        except NetworkError as error:  # includes TimedOut and 5xx answers
            if _may_have_arrived(error):
                raise MaybeSent(type(error).__name__) from error
            raise

    return send


async def deliver_outbox(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Send queued answers, reminders, notices, thank-yous and feedback questions that are
    due (the outbox takes its own claim: one sender across the workers)."""
    pacer = ctx.job.data if ctx.job is not None and isinstance(ctx.job.data, Pacer) else None
    await outbox.deliver_due(_context(ctx), telegram_sender(ctx.bot), pacer=pacer)


def exclusively(context: AppContext, job_name: str,
                work: Callable[[AppContext], object]) -> bool:
    """Run ``work(context)`` unless another worker runs ``job_name`` right now; returns
    whether it ran here."""
    with exclusive(context.database, job_name) as mine:
        if mine:
            work(context)
        return mine


async def run_reminders(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Extend meeting series, queue due reminders and thank-yous (the outbox sends them)."""
    context = _context(ctx)
    await context.database.run_sync(reminder_job.run_exclusively, context)


async def run_retention_job(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply every retention period (bot/requests/retention.py)."""
    context = _context(ctx)
    await context.database.run_sync(exclusively, context, RETENTION_JOB, run_retention)


async def purge_conversations(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete idle conversation states and old handled update ids, more often than the
    hourly retention run."""
    context = _context(ctx)
    await context.database.run_sync(exclusively, context, PURGE_JOB, purge_job)


def schedule_jobs(application: Application, context: AppContext) -> None:
    """Run the jobs repeatedly, at the configured intervals."""
    jobs = application.job_queue
    assert jobs is not None, "python-telegram-bot[job-queue] is required"
    settings = context.settings
    # One pacer for the process, kept across runs, so back-to-back runs keep the rate too.
    pacer = Pacer(settings.telegram_messages_per_second)
    jobs.run_repeating(deliver_outbox, interval=settings.outbox_interval_seconds, first=1,
                       name="outbox", data=pacer)
    jobs.run_repeating(run_reminders, interval=settings.reminder_interval_seconds, first=1,
                       name="reminders")
    jobs.run_repeating(run_retention_job, interval=RETENTION_INTERVAL_SECONDS, first=60,
                       name="retention")
    jobs.run_repeating(purge_conversations, interval=settings.conversation_purge_seconds,
                       first=30, name="conversations")
