"""A terminal chat with the same dialogues as Telegram (``steunwijzer chat``).

Buttons are shown as numbers: type the number to press one. Commands work as on Telegram:
/start, /help, /language, /privacy, /forget, /reminders, and for facilitators
``/start inv_<token>`` (the link of ``steunwijzer invite``), /mygroups, /newmeeting,
/editmeeting, /cancelmeeting and /leave. HTML is reduced to plain text.

The person at the keyboard gets a random pseudonym per session and no chat id: nothing ties
the session to them, and nothing can write to them later (no reminders, no thank-you).
"""

from __future__ import annotations

import asyncio
import html
import re
import secrets
import sys
from typing import TextIO

from bot.channels.router import Router
from bot.context import AppContext
from bot.conversation.nlu_client import NluClient
from bot.conversation.pipeline import Citizen, Pipeline, PipelineResult
from bot.vocabulary import Button

_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Telegram HTML to terminal text."""
    return html.unescape(_TAG.sub("", text))


def show(result: PipelineResult, out: TextIO) -> list[Button]:
    """Print replies; return the buttons in the order they were numbered."""
    buttons: list[Button] = []
    for reply in result.replies:
        out.write("\nbot> " + plain(reply.text).replace("\n", "\n     ") + "\n")
        for row in reply.buttons:
            labels = []
            for button in row:
                buttons.append(button)
                labels.append(f"[{len(buttons)}] {button.label}")
            out.write("     " + "   ".join(labels) + "\n")
        if reply.document is not None:
            out.write(f"     (file: {reply.document[0]})\n")
    out.flush()
    return buttons


async def chat_loop(pipeline: Pipeline, stdin: TextIO, out: TextIO, language: str | None) -> None:
    """Read lines until end of input and answer each one."""
    router = Router.around(pipeline)
    # A random pseudonym per terminal session: nothing ties it to the person at the keyboard.
    citizen = Citizen(pseudonym="terminal-" + secrets.token_hex(8), telegram_language=language)
    buttons = show(await router.command(citizen, "start"), out)
    loop = asyncio.get_running_loop()
    while True:
        out.write("\nyou> ")
        out.flush()
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            out.write("\n")
            return
        text = line.strip()
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            button = buttons[int(text) - 1]
            result = await router.button(citizen, button.intent, button.value)
        else:
            result = await router.message(citizen, text)
        buttons = show(result, out)


async def run_chat(context: AppContext, *, use_rasa: bool = True, language: str | None = None,
                   stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Start a terminal conversation (with the NLU service when it is reachable)."""
    nlu = NluClient.from_settings(context.settings) if use_rasa else None
    if nlu is not None and not await nlu.ready():
        out.write("(The NLU service is not running: the bot understands less, buttons work.)\n")
    try:
        await chat_loop(Pipeline(context, nlu), stdin, out, language)
    finally:
        if nlu is not None:
            await nlu.close()
