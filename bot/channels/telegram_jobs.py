"""JobQueue jobs of the Telegram bot: the outbox, reminders and retention.

The services do the work (synchronously, in a worker thread); only the outbox needs Telegram,
to send what is due.
"""

from __future__ import annotations

import asyncio

from telegram.ext import Application, ContextTypes

from bot.channels.telegram_handlers import router_of
from bot.channels.telegram_render import send_reply
from bot.context import AppContext
from bot.dialogue.model import Reply
from bot.outbox import service as outbox
from bot.reminders import job as reminder_job
from bot.requests.retention import purge_idle_conversations, run_retention

RETENTION_INTERVAL_SECONDS = 3600


def _context(ctx: ContextTypes.DEFAULT_TYPE) -> AppContext:
    return router_of(ctx).pipeline.context


async def deliver_outbox(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Send queued answers, reminders and thank-yous that are due."""

    async def send(chat_id: int, reply: Reply) -> None:
        await send_reply(ctx.bot, chat_id, reply)

    await outbox.deliver_due(_context(ctx), send)


async def run_reminders(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Extend meeting series, queue due reminders and thank-yous (the outbox sends them)."""
    await asyncio.to_thread(reminder_job.run_once, _context(ctx))


async def run_retention_job(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply every retention period (bot/requests/retention.py)."""
    await asyncio.to_thread(run_retention, _context(ctx))


async def purge_conversations(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete idle conversation states, more often than the hourly retention run."""
    await asyncio.to_thread(purge_idle_conversations, _context(ctx))


def schedule_jobs(application: Application, context: AppContext) -> None:
    """Run the jobs repeatedly, at the configured intervals."""
    jobs = application.job_queue
    assert jobs is not None, "python-telegram-bot[job-queue] is required"
    settings = context.settings
    jobs.run_repeating(deliver_outbox, interval=settings.outbox_interval_seconds, first=1,
                       name="outbox")
    jobs.run_repeating(run_reminders, interval=settings.reminder_interval_seconds, first=1,
                       name="reminders")
    jobs.run_repeating(run_retention_job, interval=RETENTION_INTERVAL_SECONDS, first=60,
                       name="retention")
    jobs.run_repeating(purge_conversations, interval=settings.conversation_purge_seconds,
                       first=30, name="conversations")
