"""Telegram update handlers: turn an update into a turn for the router, send what comes back.

Handlers only parse the update, compute the pseudonym and the sealed chat id, call the
router (crisis net, facilitator dialogue, citizen pipeline) and render. Nothing here logs or
stores a Telegram identifier.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections import deque

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.channels.router import Router, split_command
from bot.channels.telegram_priority import CrisisFirst
from bot.channels.telegram_profile import COMMANDS
from bot.channels.telegram_render import send_replies, send_reply
from bot.context import AppContext
from bot.conversation.pipeline import Citizen, PipelineResult
from bot.dialogue import render
from bot.facilitators import membership
from bot.facilitators.dialogue import takes_command
from bot.privacy.pseudonym import pseudonym_for
from bot.reminders.subscriptions import CHAT_PURPOSE
from bot.runtime.metrics import ANSWERS, DEGRADED
from bot.vocabulary import DEFAULT_LANGUAGE, Reply, decode_callback, language_from_hint

ROUTER_KEY = "router"
GROUPS_ANSWERED_KEY = "groups_answered"
ALBUMS_ANSWERED_KEY = "albums_answered"


def router_of(ctx: ContextTypes.DEFAULT_TYPE) -> Router:
    """The process's router (set up in ``post_init``)."""
    return ctx.application.bot_data[ROUTER_KEY]


def citizen_of(update: Update, context: AppContext) -> Citizen:
    """Who wrote ``update``: a pseudonym, the chat id sealed, the app's language."""
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    token = context.sealer.seal(chat.id, CHAT_PURPOSE) if context.sealer else None
    return Citizen(
        pseudonym=pseudonym_for(user.id, context.settings.pseudonym_secret),
        chat_token=token,
        telegram_language=user.language_code,
    )


async def send_result(
    update: Update, ctx: ContextTypes.DEFAULT_TYPE, result: PipelineResult
) -> None:
    """Send every reply of ``result`` to the chat of ``update``."""
    chat = update.effective_chat
    assert chat is not None
    await send_replies(ctx.bot, chat.id, result.replies)
    _count(update, result)


def _count(update: Update, result: PipelineResult) -> None:
    """One answered turn in the metrics, by kind (no label tells who: privacy.md)."""
    message = update.effective_message
    words = (message.text or message.caption or "") if message is not None else ""
    if result.crisis:
        kind = "crisis"
    elif update.callback_query is not None:
        kind = "button"
    elif words.startswith("/"):
        kind = "command"
    else:
        kind = "text"
    ANSWERS.labels(channel="telegram", kind=kind).inc()
    if result.degraded:
        DEGRADED.inc()


async def _typing(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is not None:
        # A missing typing indicator is not worth failing the answer.
        with contextlib.suppress(TelegramError):
            await ctx.bot.send_chat_action(chat_id=chat.id, action=ChatAction.TYPING)


async def _answer_text(update: Update, ctx: ContextTypes.DEFAULT_TYPE, text: str) -> PipelineResult:
    """Run a message through the router: a command with its argument, or free text.

    Every input path with words ends here (plain and forwarded messages, commands and unknown
    commands, captions), so the crisis net judges all of them the same way (safety.md rule 1).
    """
    router = router_of(ctx)
    citizen = citizen_of(update, router.pipeline.context)
    if text.startswith("/") and takes_command(*split_command(text)) and update.effective_user:
        await _adopt_legacy(router, update.effective_user.id, citizen)
    processor = ctx.application.update_processor
    clear = isinstance(processor, CrisisFirst) and processor.lexicon_clear(update)
    # The typing indicator travels while the dialogue works (one Telegram round trip less
    # before the answer); it is awaited first, so it still arrives before the reply. A crisis
    # answer does not wait for it: it goes out at once.
    typing = asyncio.create_task(_typing(update, ctx)) if clear else None
    result = await router.message(citizen, text, lexicon_clear=clear)
    if typing is not None:
        await typing
    return result


async def _adopt_legacy(router: Router, user_id: int, citizen: Citizen) -> None:
    """A facilitator from before staff pseudonyms came from the person's pseudonym keeps
    their groups (membership.adopt_legacy); the user id goes no further than this call."""
    context = router.pipeline.context
    # With the database down, the command itself meets the outage next and says so.
    with contextlib.suppress(SQLAlchemyError):
        await context.database.run(membership.adopt_legacy, context, user_id, citizen.pseudonym)


async def on_message(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """A command (/start [payload], /help, /newmeeting …, an unknown one) or free text
    (also forwarded) in a private chat."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await send_result(update, ctx, await _answer_text(update, ctx, message.text))


async def on_button(update: Update, ctx: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button press. Its data is whatever the person's app sent: data no dialogue
    reads (an older bot's button, or forged) gets a kind "no longer works" and the menu."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    router = router_of(ctx)
    citizen = citizen_of(update, router.pipeline.context)
    decoded = decode_callback(query.data or "")
    if decoded is None:
        await send_result(update, ctx, await router.stale_button(citizen))
        return
    typing = asyncio.create_task(_typing(update, ctx))
    result = await router.button(citizen, *decoded)
    await typing
    await send_result(update, ctx, result)


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
    pipeline = router_of(ctx).pipeline
    citizen = citizen_of(update, pipeline.context)
    if text.startswith("/") and text[1:].strip():
        command, argument = split_command(text)
        text = argument if command in COMMANDS else f"{command} {argument}"
    result = await pipeline.crisis_check(citizen, text)
    if result is None:
        language = await pipeline.language_of(citizen)
        result = PipelineResult((Reply(render.unsupported_input(language, "edited")),),
                                language, None)
    await send_result(update, ctx, result)


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


def _kind(update: Update) -> str:
    """What kind of thing without words a message carries."""
    message = update.effective_message
    assert message is not None
    if message.sticker:
        return "sticker"
    if message.voice or message.audio or message.video_note:
        return "voice"
    if message.photo or message.video:
        return "photo"
    if message.document:
        return "document"
    if message.location or message.venue:
        return "location"
    return "other"


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
    pipeline = router_of(ctx).pipeline
    language = await pipeline.language_of(citizen_of(update, pipeline.context))
    await send_reply(ctx.bot, chat.id, Reply(render.unsupported_input(language, _kind(update))))


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
    hint = user.language_code if user else None
    language = language_from_hint(hint) or DEFAULT_LANGUAGE
    link = f"https://t.me/{ctx.bot.username}"
    await ctx.bot.send_message(chat_id=chat.id, text=render.group_chat(language, link))
