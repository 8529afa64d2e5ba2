"""The Telegram bot (python-telegram-bot 22): a thin adapter around the dialogues.

``build_application`` wires the handlers (``telegram_handlers``), the jobs (``telegram_jobs``)
and the profile (``telegram_profile``) to one :class:`~bot.channels.router.Router`, which
holds the citizen pipeline and the facilitator dialogue. Every update is handled in one
handler group: the router puts the crisis net in front of everything else.

In webhook mode each worker runs its own webhook server (``webhook_server``) on
``webhook_listen:webhook_port``, behind the operator's TLS proxy: it accepts only updates that
carry the webhook secret (``STEUNWIJZER_WEBHOOK_SECRET``, setWebhook's ``secret_token``),
answering 403 to any other request before reading it, and answers Telegram 200 only once the
update is answered. Answers are sent as they are ready (no rate limiter in front of them: a
crisis answer must not queue behind other people's), each call waiting out a 429's retry-after
(``telegram_render.honouring_429``); bulk sends are paced by the outbox's single sender at
``telegram_messages_per_second``. One error handler (:func:`on_error`) logs what failed and
where, never what anyone sent, and tells the person kindly in their language.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

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

from bot.channels.notices import failed
from bot.channels.router import Router, split_command
from bot.channels.telegram_handlers import (
    ROUTER_KEY,
    citizen_of,
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
from bot.channels.telegram_render import send_reply
from bot.channels.webhook_server import serve_webhook, webhook_arguments
from bot.context import AppContext
from bot.conversation.flood import flood_limiters
from bot.conversation.nlu_client import NluClient
from bot.conversation.pipeline import Pipeline
from bot.conversation.warm import warm_up
from bot.dialogue.render import refused
from bot.errors import DomainError, place_of

log = logging.getLogger(__name__)

#: Updates taken at once. High on purpose: a crisis message must not queue here behind other
#: people's turns; ordinary turns share fewer slots (bot/channels/telegram_priority.py).
CONCURRENT_UPDATES = 256
#: python-telegram-bot's loggers whose lines can carry a whole update.
_LIBRARY_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot", "telegram.ext.Application",
                    "telegram.ext.Updater")


async def on_error(update: object, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """The one place a failed update or job is logged and answered: the error's type and
    where it was raised, never its message, the update or the values in its traceback (they
    can carry what a person typed or pressed, e.g. in a database error's parameters); then
    a kind word to the person, in their language, when the update came from a private chat:
    a typed error's own reason (``bot/errors.py``) when it carries one, else that answering
    failed."""
    error = ctx.error
    if error is None:
        return
    log.error("update or job failed: %s at %s", type(error).__name__, place_of(error))
    if isinstance(update, Update):
        await _apologise(update, ctx, error)


async def _apologise(update: Update, ctx: ContextTypes.DEFAULT_TYPE,
                     error: Exception) -> None:
    """Tell the person that answering failed. A failure here is logged by its type only: an
    error escaping the error handler would be logged by the library with its traceback."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE or update.effective_user is None:
        return
    try:
        query = update.callback_query
        if query is not None:
            # The button's spinner stops; usually answered already, which Telegram refuses.
            with contextlib.suppress(TelegramError):
                await query.answer()
        router = ctx.application.bot_data.get(ROUTER_KEY)
        language = "nl"  # before post_init has set up the router: nothing else is known
        if isinstance(router, Router):
            language = await router.pipeline.language_of(
                citizen_of(update, router.pipeline.context))
        reply = (refused(language, error.message, error.values)[0]
                 if isinstance(error, DomainError) and error.message else failed(language))
        await send_reply(ctx.bot, chat.id, reply)
    except Exception as exc:  # the last resort must not raise
        log.warning("could not tell the person about the failure: %s", type(exc).__name__)


class _NoUpdateContents(logging.Filter):
    """python-telegram-bot writes updates into a few log lines: every update it receives or
    processes (debug lines with values, also the secret a forger guessed) and one it cannot
    read (critical, "Received data was …", with the exception). Those lines are dropped, or
    keep only the exception's type; the library's other lines pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return not record.args
        if "Received data" in str(record.msg):
            kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else "?"
            record.msg = "could not read an update from Telegram (%s); its data is left out"
            record.args = (kind,)
            record.exc_info, record.exc_text = None, None
        return True


def _guard_library_logs() -> None:
    """Put :class:`_NoUpdateContents` on the library's loggers that write updates (once)."""
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _NoUpdateContents) for f in logger.filters):
            logger.addFilter(_NoUpdateContents())


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
    _guard_library_logs()
    nlu = NluClient.from_settings(settings)
    flood, press_flood = flood_limiters(settings)
    pipeline = Pipeline(context, nlu, flood=flood, press_flood=press_flood)

    async def post_init(application: Application) -> None:
        application.bot_data[ROUTER_KEY] = Router.around(pipeline)
        await asyncio.to_thread(warm_up)
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
    """Run the bot: long polling by default; when ``webhook_url`` is set (only with
    ``webhook_secret``: see :func:`webhook_arguments`), one webhook worker on
    ``webhook_listen:webhook_port`` (several processes with different ports are several
    workers behind one proxy)."""
    settings = context.settings
    webhook = bool(settings.webhook_url)
    if webhook:
        webhook_arguments(settings)  # no secret: stop before anything starts
    application = build_application(context)
    if webhook:
        asyncio.run(serve_webhook(application, context))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


__all__ = ["ChatType", "build_application", "run_telegram", "split_command",
           "webhook_arguments"]
