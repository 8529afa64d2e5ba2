"""One runner at a time for a job, across every bot worker: a claim in the database.

Several workers run the same JobQueue jobs (the outbox, reminders, retention, the
conversation purge). On PostgreSQL a job runs under a session-level advisory lock, taken with
``pg_try_advisory_lock`` on a connection of its own that is held for the whole run: a worker
that finds the lock taken skips this round, and the lock goes with the connection when the
worker dies, so a dead worker never blocks a job. SQLite is the embedded one-process default
(``make run``): there the job may always run. No in-process lock and no broker of our own:
the database already shared by the workers decides.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from sqlalchemy import Connection, text

from bot.db.advisory import advisory_key, unlock
from bot.db.session import Database


def lock_key(job_name: str) -> int:
    """The advisory lock number of ``job_name``."""
    return advisory_key("job", job_name)


class Claim:
    """The right to run one job now; :meth:`acquire` it, then :meth:`release` it.

    Prefer :func:`exclusive` (or :func:`exclusive_async`), which release in every case.
    """

    def __init__(self, database: Database, job_name: str) -> None:
        self.database = database
        self.job_name = job_name
        self.key = lock_key(job_name)
        self._connection: Connection | None = None

    def acquire(self) -> bool:
        """Whether this process may run the job now (without waiting for anyone)."""
        if self.database.engine.dialect.name != "postgresql":
            return True  # SQLite: one process by design
        connection = self.database.engine.connect()
        try:
            held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                          {"key": self.key}))
            # End the transaction: the lock belongs to the session, not to the transaction,
            # and a connection idle in a transaction would hold back vacuum for the whole run.
            connection.commit()
        except BaseException:
            connection.close()
            raise
        if not held:
            connection.close()
            return False
        self._connection = connection
        return True

    def release(self) -> None:
        """Give the job back (nothing to do when it was not taken)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        unlock(connection, self.key)


@contextmanager
def exclusive(database: Database, job_name: str) -> Iterator[bool]:
    """Yield whether this process may run ``job_name`` now; the claim is held until the
    ``with`` block ends, and given back however it ends."""
    claim = Claim(database, job_name)
    mine = claim.acquire()
    try:
        yield mine
    finally:
        claim.release()


@asynccontextmanager
async def exclusive_async(database: Database, job_name: str) -> AsyncIterator[bool]:
    """:func:`exclusive` for a job running on the event loop; the database calls run in a
    worker thread, so the loop keeps answering people meanwhile."""
    claim = Claim(database, job_name)
    mine = await asyncio.to_thread(claim.acquire)
    try:
        yield mine
    finally:
        # Shielded: a cancelled job still gives the claim back (the release finishes in its
        # thread), never leaving a locked connection to the pool.
        await asyncio.shield(asyncio.to_thread(claim.release))
