"""Dashboard fixtures: a seeded database (SQLite and PostgreSQL) and an in-process client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web.dashboard_helpers import make_context, seed

from bot.context import AppContext
from bot.web.app import create_app


@pytest.fixture
def context(database) -> AppContext:
    """A context on the migrated database with the demo directory and three accounts."""
    ctx = make_context(database)
    seed(ctx)
    return ctx


@pytest.fixture
def client(context: AppContext) -> Iterator[TestClient]:
    """A client of the dashboard app."""
    with TestClient(create_app(context), base_url="http://127.0.0.1") as test_client:
        yield test_client
