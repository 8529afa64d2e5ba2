"""Crisis messages first: an update processor that lets a lexicon crisis hit skip the queue.

python-telegram-bot runs up to ``max_concurrent_updates`` updates at once and asyncio has no
priorities, so under full load a crisis message waited behind every turn already running
(measured in docs/performance.md: crisis p99 645 ms at capacity). Here ordinary updates share
a few dialogue slots, enough to keep both cores busy, while an update whose words the crisis
lexicon flags starts at once. The verdict is kept (by update id, never the text) so the router
does not run the lexicon a second time.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.safety.net import lexicon_signal

#: Ordinary updates handled at once. The bot's own work is one core of Python; the rest is
#: waiting for the NLU service, the database threads and Telegram, which a few turns in flight
#: cover. Measured with `python -m bench.load --no-baseline`: 4 slots gave the capacity of 16
#: and 64, with shorter queues on the event loop in front of a crisis answer.
DIALOGUE_SLOTS = 4
#: How many verdicts are remembered until the handler takes them (a bound, not a cache).
_MAX_VERDICTS = 4096


def words_of(update: object) -> str:
    """The text or caption of an update's message (also an edited one), or ``""``."""
    if not isinstance(update, Update):
        return ""
    message = update.effective_message
    if message is None:
        return ""
    return message.text or message.caption or ""


class CrisisFirst(BaseUpdateProcessor):
    """Runs crisis updates at once and ordinary ones through :data:`DIALOGUE_SLOTS` slots."""

    def __init__(self, max_concurrent_updates: int, dialogue_slots: int = DIALOGUE_SLOTS):
        super().__init__(max_concurrent_updates)
        self._dialogue_slots = dialogue_slots
        self._slots: asyncio.Semaphore | None = None
        self._clear: OrderedDict[int, bool] = OrderedDict()

    async def initialize(self) -> None:
        """Create the slots on the running loop."""
        self._slots = asyncio.Semaphore(self._dialogue_slots)

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Screen the update's words with the crisis lexicon, then run it: at once when it
        signals a crisis, else when a dialogue slot is free."""
        words = words_of(update)
        crisis = bool(words) and lexicon_signal(words) is not None
        if isinstance(update, Update) and words and not crisis:
            self._clear[update.update_id] = True
            while len(self._clear) > _MAX_VERDICTS:
                self._clear.popitem(last=False)
        if crisis or self._slots is None:
            await coroutine
            return
        async with self._slots:
            await coroutine

    def lexicon_clear(self, update: Update) -> bool:
        """Whether this processor found no crisis words in ``update`` (asked once per update:
        the verdict is forgotten as it is handed out)."""
        return self._clear.pop(update.update_id, False)
