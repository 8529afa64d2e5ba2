"""The real bot application (``build_application``: handlers, router, error handler, flood
limit) in the test's event loop, talking to the fake Telegram Bot API. Nothing is mocked.

Two ways to hand it updates:

* ``deliver``: the updates a test made the fake send (``send_text``, ``press_button`` ...)
  are processed one at a time, each in full (``Application.process_update``), so a test can
  count what came back without waiting for time to pass;
* webhook mode (``start_webhook``): the fake POSTs every update to the bot's webhook, as
  Telegram does, with the secret token header.
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fakes.telegram_api import FakeTelegram
from telegram import Update
from telegram.ext import Application

from bot.channels.telegram_app import build_application
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
