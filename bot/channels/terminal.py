"""A terminal chat with the same pipeline as Telegram (``steunwijzer chat``).

Buttons are shown as numbers: type the number to press one. Commands work as on Telegram
(/start, /help, /language, /privacy, /forget). HTML is reduced to plain text.
"""

from __future__ import annotations

import asyncio
import html
import re
import secrets
import sys
from typing import TextIO

from bot.context import AppContext
from bot.conversation.pipeline import Citizen, Pipeline, PipelineResult
from bot.conversation.rasa_client import RasaClient
from bot.dialogue.model import Button

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
    out.flush()
    return buttons


async def chat_loop(pipeline: Pipeline, stdin: TextIO, out: TextIO, language: str | None) -> None:
    """Read lines until end of input and answer each one."""
    # A random pseudonym per terminal session: nothing ties it to the person at the keyboard.
    citizen = Citizen(pseudonym="terminal-" + secrets.token_hex(8), telegram_language=language)
    buttons = show(await pipeline.handle_command(citizen, "start"), out)
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
            result = await pipeline.handle_button(citizen, button.intent, button.value)
        elif text.startswith("/"):
            command, _, argument = text[1:].partition(" ")
            result = await pipeline.handle_command(citizen, command.lower(), argument)
        else:
            result = await pipeline.handle_text(citizen, text)
        buttons = show(result, out)


async def run_chat(context: AppContext, *, use_rasa: bool = True, language: str | None = None,
                   stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Start a terminal conversation (with Rasa when it is reachable)."""
    settings = context.settings
    rasa = RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_timeout_seconds) \
        if use_rasa else None
    if rasa is not None and not await rasa.ready():
        out.write("(Rasa is not running: the bot understands less, buttons work.)\n")
    try:
        await chat_loop(Pipeline(context, rasa), stdin, out, language)
    finally:
        if rasa is not None:
            await rasa.close()
