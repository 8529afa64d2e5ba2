"""Fixtures of the conversation-core tests."""

from __future__ import annotations

import pytest

from bot.context import AppContext
from bot.directory.formats import import_demo
from bot.settings import Settings


@pytest.fixture
def context(database) -> AppContext:
    """An app context on a migrated database (both engines) holding the demo directory."""
    with database.session() as session:
        assert import_demo(session).ok
    return AppContext(Settings(pseudonym_secret="x"), database)
