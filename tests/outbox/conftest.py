"""Fixtures of the outbox tests: the fake Telegram Bot API and a bot talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fakes.telegram_api import FakeTelegram
from telegram import Bot


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[FakeTelegram, Bot]]:
    """The fake Telegram server and a python-telegram-bot ``Bot`` pointed at it."""
    async with FakeTelegram() as tg, Bot(tg.token, base_url=tg.api_base_url) as bot:
        yield tg, bot
