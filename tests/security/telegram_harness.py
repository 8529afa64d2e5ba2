"""The real bot application (``build_application``: handlers, router, error handler, flood
limit) in the test's event loop, talking to the fake Telegram Bot API. Nothing is mocked.

Two ways to hand it updates:

* ``deliver``: the updates a test made the fake send (``send_text``, ``press_button`` ...)
  are processed one at a time, each in full (``Application.process_update``), so a test can
  count what came back without waiting for time to pass;
* webhook mode (``webhook_worker``): one worker as ``steunwijzer bot`` runs it with a webhook
  URL (bot/channels/webhook_server.py: the application with its jobs, setWebhook, the webhook
  server); the fake POSTs every update to it, as Telegram does, with the secret token header.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fakes.telegram_api import FakeTelegram
from telegram import Update
from telegram.ext import Application

from bot.channels.telegram_app import build_application
from bot.channels.webhook_server import WebhookWorker, listening_socket
from bot.context import AppContext
from bot.db.session import Database
from bot.privacy.sealed import generate_key
from bot.settings import Settings


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_settings(tg: FakeTelegram, **overrides: Any) -> Settings:
    """Settings for a bot behind ``tg``, with the NLU service down (a closed port): the
    crisis lexicon and the bot's own keywords answer, as in degraded mode."""
    values: dict[str, Any] = {
        "telegram_token": tg.token,
        "telegram_api_base_url": tg.api_base_url,
        "telegram_bot_username": tg.bot_username,
        "pseudonym_secret": secrets.token_urlsafe(32),
        "encryption_key": generate_key(),
        "rasa_url": f"http://127.0.0.1:{free_port()}",
        **overrides,
    }
    return Settings(**values)


@asynccontextmanager
async def running_bot(settings: Settings, database: Database) -> AsyncIterator[Application]:
    """The application, initialised and set up as ``run_polling``/``run_webhook`` would
    (``post_init``: the router, warm language models, commands published); not yet fetching
    updates and without its jobs running."""
    application = build_application(AppContext(settings, database))
    async with application:
        assert application.post_init is not None and application.post_shutdown is not None
        await application.post_init(application)
        try:
            yield application
        finally:
            await application.post_shutdown(application)


async def deliver(tg: FakeTelegram, application: Application) -> int:
    """Process every update the fake holds, in order, each to its end (handlers, replies,
    the error handler); returns how many."""
    taken = tg.take_updates()
    for raw in taken:
        await application.process_update(Update.de_json(raw, application.bot))
    return len(taken)


@asynccontextmanager
async def webhook_worker(tg: FakeTelegram, database: Database,
                         **overrides: Any) -> AsyncIterator[WebhookWorker]:
    """One bot worker in webhook mode on a free loopback port (``webhook_secret`` among the
    ``overrides``), started as ``steunwijzer bot`` starts it and stopped in order at the end.
    Its webhook URL (``worker.context.settings.webhook_url``) ends in ``/telegram``; the
    health and metrics endpoints are beside it."""
    sock = listening_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    settings = bot_settings(tg, webhook_url=f"http://127.0.0.1:{port}/telegram", **overrides)
    context = AppContext(settings, database)
    worker = WebhookWorker(build_application(context), context, sock)
    serving = asyncio.create_task(worker.serve())
    started = asyncio.create_task(worker.started.wait())
    await asyncio.wait({serving, started}, return_when=asyncio.FIRST_COMPLETED)
    if serving.done():
        started.cancel()
        serving.result()  # the start-up failure
    try:
        yield worker
    finally:
        worker.stop()
        await serving


def base_url(worker: WebhookWorker) -> str:
    """``http://127.0.0.1:PORT`` of a worker from :func:`webhook_worker`."""
    url = worker.context.settings.webhook_url or ""
    return url.removesuffix("/telegram")
