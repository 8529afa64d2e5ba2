"""Waiting, in a test, until PostgreSQL advisory locks are being waited for (the per-person
turn locks, bot/conversation/ordering.py)."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import text

from bot.db.session import Database


def advisory_waiters(database: Database) -> int:
    """Advisory locks being waited for in this test's database right now."""
    with database.engine.connect() as connection:
        return connection.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )).scalar_one()


async def until_waiting(database: Database, count: int, timeout: float = 30.0) -> None:
    """Until ``count`` advisory locks are waited for. PostgreSQL has no event for a lock
    wait, so this looks again every few milliseconds (a condition, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while await asyncio.to_thread(advisory_waiters, database) < count:
        assert time.monotonic() < deadline, f"not {count} lock waits within {timeout}s"
        await asyncio.sleep(0.005)
