"""Fixtures of the attack tests: the fake Telegram Bot API and a bot running against it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fakes.telegram_api import FakeTelegram
from telegram.ext import Application
from telegram_harness import bot_settings, running_bot

from bot.db.session import Database


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API (a module may define its own)."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram, sqlite_database: Database) -> AsyncIterator[Application]:
    """The bot on SQLite. Many presses in a row from one person: the press flood limit
    (tests/security/test_flood.py) is set out of the way."""
    settings = bot_settings(tg, flood_presses=1000)
    async with running_bot(settings, sqlite_database) as application:
        yield application
