"""Fixtures for the dashboard attack tests: a seeded database, a hand-moved clock and clients.

Import the fixtures into a test module (``from dashboard_app import context_fixture``); they
are named ``clock``, ``context`` and ``client`` in the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from staffgroups import Clock
from web.dashboard_helpers import make_context, seed

from bot.context import AppContext
from bot.db.session import Database
from bot.web.app import create_app

#: A Thursday evening; the dashboard's clock starts here and only moves when a test moves it.
START = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)


@pytest.fixture(name="clock")
def clock_fixture() -> Clock:
    """A clock the test moves by hand."""
    return Clock(START)


@pytest.fixture(name="context")
def context_fixture(database: Database, clock: Clock) -> AppContext:
    """The demo directory and three accounts (admin, tilburg, utrecht) on both engines."""
    ctx = make_context(database)
    ctx.clock = clock
    seed(ctx)
    return ctx


@pytest.fixture(name="client")
def client_fixture(context: AppContext) -> Iterator[TestClient]:
    """A client of the dashboard app (source address ``testclient``)."""
    with TestClient(create_app(context), base_url="http://127.0.0.1") as test_client:
        yield test_client


def client_from(context: AppContext, address: str) -> TestClient:
    """A client of a fresh app object on the same database, coming from ``address``."""
    return TestClient(create_app(context), base_url="http://127.0.0.1", client=(address, 50000))
