"""Turn the dialogues' replies into Telegram messages: HTML, inline keyboards, 4096-char limit."""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.dialogue.model import Reply

TELEGRAM_LIMIT = 4096


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


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> None:
    """Send one reply: HTML text split under Telegram's limit, buttons on the last part, then
    its document (an .ics file) if it has one."""
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


async def send_replies(bot: Bot, chat_id: int, replies: Iterable[Reply]) -> None:
    """Send ``replies`` in order."""
    for reply in replies:
        await send_reply(bot, chat_id, reply)
