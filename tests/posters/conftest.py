"""Fixtures: an app context with a controllable clock on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from staffgroups import SPRING, Clock

from bot.context import AppContext
from bot.privacy.sealed import generate_key
from bot.settings import Settings


@pytest.fixture
def clock() -> Clock:
    return Clock(SPRING)


@pytest.fixture
def context(database, clock: Clock) -> AppContext:
    return AppContext(Settings(encryption_key=generate_key(), pseudonym_secret="test-secret",
                               telegram_bot_username="SteunwijzerTestBot"), database, clock)
