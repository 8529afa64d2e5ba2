"""Fixtures of the fault tests (issue 15): the fake Telegram Bot API and a private PostgreSQL
cluster the test may stop and start (never the shared server at 5432)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from fakes.telegram_api import FakeTelegram
from fault_harness import PrivateCluster, private_cluster


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API, in the test's event loop."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def private_postgres() -> Iterator[PrivateCluster]:
    """A running PostgreSQL cluster of this test's own, with an empty database."""
    with private_cluster() as cluster:
        yield cluster
