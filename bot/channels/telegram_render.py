"""Turn the dialogues' replies into Telegram messages: HTML, inline keyboards, 4096-char limit."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.vocabulary import Reply

TELEGRAM_LIMIT = 4096
#: How often one call Telegram refused with 429 ("retry after n seconds") is tried again.
SEND_RETRIES = 3

log = logging.getLogger(__name__)
T = TypeVar("T")


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asked to wait, in seconds (an int in python-telegram-bot 22, which
    warns that it becomes a timedelta; both are read)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def honouring_429(call: Callable[[], Awaitable[T]], retries: int = SEND_RETRIES) -> T:
    """``call()``, waited out and tried again when Telegram answers 429 with ``retry_after``.

    Per call, not per reply: a reply in three parts whose second part is refused sends the
    first part once. No rate limiter in front of the answers: a crisis answer must never queue
    behind other people's; the answers follow the messages people send, and the bulk sends
    (the outbox) are paced by their single sender (bot/outbox/pacing.py), which handles a 429
    itself (``retries=0``): it pauses all its sending, not one call.
    """
    for attempt in range(retries + 1):
        try:
            return await call()
        except RetryAfter as exc:
            if attempt == retries:
                raise
            log.warning("Telegram asked to slow down; waiting before sending again")
            await asyncio.sleep(retry_after_seconds(exc))
    raise AssertionError("unreachable")


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a reply, or ``None`` without buttons."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.callback_data) for b in row]
         for row in reply.buttons]
    )


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split ``text`` into chunks under ``limit``, preferring paragraph and line breaks.

    Our HTML tags never span a line break, so splitting at breaks keeps the markup valid.
    """
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest)
    return [c for c in chunks if c]


async def send_reply(bot: Bot, chat_id: int, reply: Reply, *, retries: int = SEND_RETRIES) -> None:
    """Send one reply: HTML text split under Telegram's limit, buttons on the last part, then
    its document (an .ics file) if it has one. Each call waits out up to ``retries`` 429s."""
    chunks = split_text(reply.text)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        markup = keyboard(reply) if last else None
        await honouring_429(lambda chunk=chunk, markup=markup: bot.send_message(
            chat_id=chat_id,
            text=chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            disable_web_page_preview=True,
        ), retries)
    if reply.document is not None:
        filename, content = reply.document
        await honouring_429(lambda: bot.send_document(
            chat_id=chat_id, document=content, filename=filename), retries)


async def send_replies(bot: Bot, chat_id: int, replies: Iterable[Reply]) -> None:
    """Send ``replies`` in order."""
    for reply in replies:
        await send_reply(bot, chat_id, reply)
