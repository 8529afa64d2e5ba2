"""The Telegram bot (python-telegram-bot 22): thin handlers around the conversation pipeline.

Handlers only parse the update, compute the pseudonym and sealed chat id, call the
pipeline, and render. Nothing here logs or stores a Telegram identifier.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import deque

from telegram import Bot, BotCommand, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.facilitator_handlers import register_facilitator_handlers
from bot.channels.telegram_render import keyboard, split_text
from bot.context import AppContext
from bot.conversation.flood import FloodLimiter
from bot.conversation.pipeline import Citizen, Pipeline, PipelineResult
from bot.conversation.rasa_client import RasaClient
from bot.dialogue import render
from bot.dialogue.model import Reply, decode_callback
from bot.i18n.catalogs import Translator
from bot.language.detect import warm_up
from bot.outbox import service as outbox
from bot.privacy.pseudonym import pseudonym_for
from bot.safety.crisis import check_all
from bot.safety.net import lexicon_signal
from bot.taxonomy import ALL_LANGUAGES

log = logging.getLogger(__name__)

PIPELINE_KEY = "pipeline"
GROUPS_ANSWERED_KEY = "groups_answered"
ALBUMS_ANSWERED_KEY = "albums_answered"


def _citizen(update: Update, context: AppContext) -> Citizen:
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    token = context.sealer.seal(chat.id, "chat") if context.sealer else None
    return Citizen(
        pseudonym=pseudonym_for(user.id, context.settings.pseudonym_secret),
        chat_token=token,
        telegram_language=user.language_code,
    )


def _pipeline(ctx: ContextTypes.DEFAULT_TYPE) -> Pipeline:
    return ctx.application.bot_data[PIPELINE_KEY]


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> None:
    """Send one reply: HTML text split under Telegram's limit, buttons on the last part."""
    chunks = split_text(reply.text)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await bot.send_message(
            chat_id=chat_id,
            text=chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply) if last else None,
            disable_web_page_preview=True,
        )
    if reply.document is not None:
        filename, content = reply.document
        await bot.send_document(chat_id=chat_id, document=content, filename=filename)


async def send_result(
    update: Update, ctx: ContextTypes.DEFAULT_TYPE, result: PipelineResult
) -> None:
    """Send every reply of ``result`` to the chat of ``update``."""
    chat = update.effective_chat
    assert chat is not None
    for reply in result.replies:
        await send_reply(ctx.bot, chat.id, reply)


async def _typing(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is not None:
        # A missing typing indicator is not worth failing the answer.
        with contextlib.suppress(TelegramError):
            await ctx.bot.send_chat_action(chat_id=chat.id, action=ChatAction.TYPING)


async def _answer_text(update: Update, ctx: ContextTypes.DEFAULT_TYPE, text: str) -> PipelineResult:
    """Run citizen text through the pipeline: a command with its argument, or free text.

    Every input path ends here (plain and forwarded messages, commands and unknown commands,
    captions, edits), so the crisis net judges all of them the same way (safety.md rule 1).
    """
    pipeline = _pipeline(ctx)
    citizen = _citizen(update, pipeline.context)
    # The typing indicator travels while the pipeline works (one Telegram round trip less
    # before the answer); it is awaited first, so it still arrives before the reply.
    typing = asyncio.create_task(_typing(update, ctx))
    if text.startswith("/"):
        command, argument = split_command(text)
        result = await pipeline.handle_command(citizen, command, argument)
    else:
        result = await pipeline.handle_text(citizen, text)
    await typing
    return result


async def on_text(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """A free-text message (also a forwarded one) in a private chat."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await send_result(update, ctx, await _answer_text(update, ctx, message.text))


async def on_command(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """/start [payload], /help, /privacy, /forget, /language, and any unknown command (its
    words are read as free text)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await send_result(update, ctx, await _answer_text(update, ctx, message.text))


def split_command(text: str) -> tuple[str, str]:
    """``/help@SteunwijzerBot ik wil…`` → ``("help", "ik wil…")``: the command ends at the first
    whitespace of any kind (a line break too), the bot's name is dropped."""
    head, *rest = text[1:].split(maxsplit=1)
    return head.split("@", 1)[0].lower(), rest[0] if rest else ""


async def on_safety_first(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Handler group -2, before the facilitator flows and /reminders (group -1), which answer
    without the conversation pipeline: their words meet the crisis net here (safety.md rule 1).
    Text after their commands gets the lexicon and the model; text typed into their guided
    steps gets the lexicon. Everything else passes on to the pipeline, which checks it fully."""
    message = update.effective_message
    text = message.text or message.caption if message is not None else None
    if not text or update.edited_message is not None:
        return
    pipeline = _pipeline(ctx)
    citizen = _citizen(update, pipeline.context)
    if text.startswith("/"):
        command, argument = split_command(text)
        if command in COMMANDS and not (command == "start" and argument.startswith("inv_")):
            return  # the pipeline's own commands check their words themselves
        result = await pipeline.crisis_check(citizen, argument, deep_link=command == "start")
    else:
        signal = lexicon_signal(text)
        result = await pipeline.crisis_answer(citizen, text, signal) if signal else None
    if result is not None:
        await send_result(update, ctx, result)
        raise ApplicationHandlerStop


async def on_edited(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message: its new words meet the crisis net (lexicon and model). The
    conversation itself is not replayed (an edited /forget must not forget twice); the
    person is told to send the new text again if it matters. Edits without text (a live
    location moving) get no answer."""
    message = update.edited_message
    if message is None:
        return
    text = message.text or message.caption
    if not text:
        return
    pipeline = _pipeline(ctx)
    citizen = _citizen(update, pipeline.context)
    if text.startswith("/"):
        command, argument = split_command(text)
        text = argument if command in COMMANDS else f"{command} {argument}"
    result = await pipeline.crisis_check(citizen, text)
    if result is None:
        language = await pipeline.language_of(citizen)
        result = PipelineResult((Reply(render.unsupported_input(language, "edited")),),
                                language, None)
    await send_result(update, ctx, result)


async def on_button(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button press."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    pipeline = _pipeline(ctx)
    citizen = _citizen(update, pipeline.context)
    decoded = decode_callback(query.data or "")
    if decoded is None:
        language = await pipeline.language_of(citizen)
        await send_result(update, ctx, PipelineResult(render.main_menu(language), language, None))
        return
    intent, value = decoded
    typing = asyncio.create_task(_typing(update, ctx))
    result = await pipeline.handle_button(citizen, intent, value)
    await typing
    await send_result(update, ctx, result)


async def deliver_outbox(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue job: send queued answers and reminders that are due."""
    pipeline = _pipeline(ctx)

    async def send(chat_id: int, reply: Reply) -> None:
        await send_reply(ctx.bot, chat_id, reply)

    await outbox.deliver_due(pipeline.context, send)


async def run_retention_job(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue job: expire old requests and lapsed feedback invitations."""
    from bot.requests.retention import run_retention

    await asyncio.to_thread(run_retention, _pipeline(ctx).context)


async def on_media(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, video or file: its caption is read like a message; without one, the bot says
    what it cannot read."""
    message = update.effective_message
    if message is None:
        return
    if not message.caption:
        await on_unsupported(update, ctx)
        return
    result = await _answer_text(update, ctx, message.caption)
    if not result.crisis:
        note = Reply(render.caption_only(result.language))
        result = PipelineResult((note, *result.replies), result.language, result.route,
                                result.degraded)
    await send_result(update, ctx, result)


async def on_unsupported(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice, documents, locations: a clear answer with 112 and 113 (someone
    in crisis may reach for a voice message), nothing kept."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    if message.media_group_id:
        # An album arrives as one message per photo: answer the first one only.
        albums: deque[str] = ctx.application.bot_data.setdefault(ALBUMS_ANSWERED_KEY,
                                                                  deque(maxlen=1000))
        if message.media_group_id in albums:
            return
        albums.append(message.media_group_id)
    if message.sticker:
        kind = "sticker"
    elif message.voice or message.audio or message.video_note:
        kind = "voice"
    elif message.photo or message.video:
        kind = "photo"
    elif message.document:
        kind = "document"
    elif message.location or message.venue:
        kind = "location"
    else:
        kind = "other"
    pipeline = _pipeline(ctx)
    language = await pipeline.language_of(_citizen(update, pipeline.context))
    await send_reply(ctx.bot, chat.id, Reply(render.unsupported_input(language, kind)))


async def on_group(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """In a group chat: answer once with a link to a private chat, then stay quiet."""
    chat = update.effective_chat
    if chat is None:
        return
    # Remember only a hash of the group id, in memory, to answer once per group.
    marker = hashlib.sha256(str(chat.id).encode()).hexdigest()[:16]
    answered: set[str] = ctx.application.bot_data.setdefault(GROUPS_ANSWERED_KEY, set())
    if marker in answered:
        return
    answered.add(marker)
    user = update.effective_user
    language = (user.language_code or "nl").split("-")[0] if user else "nl"
    language = language if language in ALL_LANGUAGES else "nl"
    link = f"https://t.me/{ctx.bot.username}"
    await ctx.bot.send_message(chat_id=chat.id, text=render.group_chat(language, link))


COMMANDS = ("start", "help", "language", "privacy", "forget")


def command_menu(language: str) -> list[BotCommand]:
    """The command menu in ``language`` (setMyCommands with language_code)."""
    _ = Translator(language).gettext
    descriptions = {
        "start": _("Start or start again"),
        "help": _("What this bot can do"),
        "language": _("Choose your language"),
        "privacy": _("What is stored and who sees what"),
        "forget": _("Delete everything about me"),
    }
    return [BotCommand(name, descriptions[name]) for name in COMMANDS]


def bot_description(language: str) -> tuple[str, str]:
    """The long and short bot descriptions in ``language``."""
    _ = Translator(language).gettext
    return (
        _(
            "Anonymous help finding peer groups, volunteer help and someone to talk to in the "
            "Netherlands. In Dutch, Turkish, Farsi and Arabic. No name needed."
        ),
        _("Find peer groups and volunteer help, anonymously."),
    )


async def publish_profile(application: Application) -> None:
    """Set the command menu and descriptions for every language (and the default)."""
    bot = application.bot
    for language in (*ALL_LANGUAGES, None):
        code = language or "nl"
        long_text, short_text = bot_description(code)
        await bot.set_my_commands(command_menu(code), language_code=language)
        await bot.set_my_description(long_text, language_code=language)
        await bot.set_my_short_description(short_text, language_code=language)


def build_application(context: AppContext) -> Application:
    """The python-telegram-bot application with all handlers, ready to run."""
    settings = context.settings
    assert settings.telegram_token, "a Telegram token is required"
    rasa = RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_timeout_seconds)
    pipeline = Pipeline(
        context, rasa, flood=FloodLimiter(settings.flood_messages, settings.flood_window_seconds)
    )

    async def post_init(application: Application) -> None:
        application.bot_data[PIPELINE_KEY] = pipeline
        # Load the language models and compile the crisis lexicons now, so the first citizen
        # (perhaps one in crisis) does not wait a second for them.
        await asyncio.to_thread(warm_up)
        await asyncio.to_thread(check_all, "steunwijzer")
        try:
            await publish_profile(application)
        except TelegramError as exc:
            log.warning("could not publish commands/descriptions: %s", exc)

    async def post_shutdown(application: Application) -> None:
        await rasa.close()

    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_url.replace("/bot", "/file/bot"))
        .concurrent_updates(64)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, on_edited))
    application.add_handler(MessageHandler(~private & filters.ChatType.GROUPS, on_group))
    # Known and unknown commands alike (facilitator commands and /reminders are taken first,
    # in handler group -1); an unknown command's words are read as free text.
    application.add_handler(MessageHandler(private & filters.COMMAND, on_command))
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(private & filters.CAPTION & ~filters.TEXT, on_media))
    application.add_handler(MessageHandler(private & ~filters.TEXT, on_unsupported))
    # Facilitators, reminder buttons, /reminders and the reminder job (handler group -1),
    # with the crisis net in front of them (group -2).
    application.add_handler(
        MessageHandler(private & (filters.TEXT | filters.CAPTION), on_safety_first), group=-2
    )
    register_facilitator_handlers(application, context)
    assert application.job_queue is not None, "python-telegram-bot[job-queue] is required"
    application.job_queue.run_repeating(
        deliver_outbox, interval=settings.outbox_interval_seconds, first=1, name="outbox"
    )
    application.job_queue.run_repeating(
        run_retention_job, interval=3600, first=60, name="retention"
    )
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


__all__ = ["ChatType", "build_application", "run_telegram"]
