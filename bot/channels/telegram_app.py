"""The Telegram bot (python-telegram-bot 22): a thin adapter around the dialogues.

``build_application`` wires the handlers (``telegram_handlers``), the jobs (``telegram_jobs``)
and the profile (``telegram_profile``) to one :class:`~bot.channels.router.Router`, which
holds the citizen pipeline and the facilitator dialogue. Every update is handled in one
handler group: the router puts the crisis net in front of everything else.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.router import Router, split_command
from bot.channels.telegram_handlers import (
    ROUTER_KEY,
    on_button,
    on_edited,
    on_group,
    on_media,
    on_message,
    on_unsupported,
)
from bot.channels.telegram_jobs import schedule_jobs
from bot.channels.telegram_priority import CrisisFirst
from bot.channels.telegram_profile import publish_profile
from bot.context import AppContext
from bot.conversation.flood import FloodLimiter
from bot.conversation.nlu_client import NluClient
from bot.conversation.pipeline import Pipeline
from bot.language.detect import warm_up
from bot.safety.crisis import check_all

log = logging.getLogger(__name__)

#: Updates taken at once. High on purpose: a crisis message must not queue here behind other
#: people's turns; ordinary turns share fewer slots (bot/channels/telegram_priority.py).
CONCURRENT_UPDATES = 256


async def on_error(update: object, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """The one place a failed update or job is logged: the error's type and where it was
    raised, never its message or the values in its traceback (they can carry what a person
    typed, e.g. in a database error's parameters)."""
    error = ctx.error
    if error is None:
        return
    frames = traceback.extract_tb(error.__traceback__)
    # The deepest frame of our own code says most (a library's frame says little).
    ours = [f for f in frames if f"{os.sep}bot{os.sep}" in f.filename] or frames
    place = f"{ours[-1].filename}:{ours[-1].lineno}" if ours else "?"
    log.error("update or job failed: %s at %s", type(error).__name__, place)


def _add_handlers(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, on_edited))
    application.add_handler(MessageHandler(~private & filters.ChatType.GROUPS, on_group))
    # Commands (known, unknown, facilitators') and free text alike: the router decides.
    application.add_handler(MessageHandler(private & filters.TEXT, on_message))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(private & filters.CAPTION & ~filters.TEXT, on_media))
    application.add_handler(MessageHandler(private & ~filters.TEXT, on_unsupported))
    application.add_error_handler(on_error)


def build_application(context: AppContext) -> Application:
    """The python-telegram-bot application with all handlers and jobs, ready to run."""
    settings = context.settings
    assert settings.telegram_token, "a Telegram token is required"
    nlu = NluClient.from_settings(settings)
    pipeline = Pipeline(
        context, nlu, flood=FloodLimiter(settings.flood_messages, settings.flood_window_seconds)
    )

    async def post_init(application: Application) -> None:
        application.bot_data[ROUTER_KEY] = Router.around(pipeline)
        # Load the language models and compile the crisis lexicons now, so the first citizen
        # (perhaps one in crisis) does not wait a second for them.
        await asyncio.to_thread(warm_up)
        await asyncio.to_thread(check_all, "steunwijzer")
        try:
            await publish_profile(application)
        except TelegramError as exc:
            log.warning("could not publish commands/descriptions: %s", exc)

    async def post_shutdown(application: Application) -> None:
        await nlu.close()

    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_url.replace("/bot", "/file/bot"))
        .concurrent_updates(CrisisFirst(CONCURRENT_UPDATES))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    _add_handlers(application)
    schedule_jobs(application, context)
    return application


def run_telegram(context: AppContext) -> None:
    """Run the bot: long polling by default, a webhook when ``webhook_url`` is set."""
    application = build_application(context)
    settings = context.settings
    if settings.webhook_url:
        application.run_webhook(
            listen="127.0.0.1",
            port=8443,
            webhook_url=settings.webhook_url,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


__all__ = ["ChatType", "build_application", "run_telegram", "split_command"]
