"""One turn at a time per person, different people in parallel, in one process or several
(architecture.md, "Growing past one machine").

Two messages of one person sent in quick succession must be answered in order and each must
see the state the previous one left; other people's turns never wait for them. Inside one
process an asyncio lock per pseudonym does that (cheap and fair: first come, first served).
With several bot workers on one PostgreSQL database, the turn also holds a PostgreSQL advisory
lock on a 64-bit hash of the pseudonym (already an HMAC, never the Telegram id), taken on a
connection of its own, so a message of the same person at another worker waits for it; if a
worker dies, its connection closes and PostgreSQL frees the lock. SQLite (one process, ``make
run``) has the asyncio lock only.

A worker answering an update from a webhook (bot/channels/webhook_server.py) opens
:func:`until_answered` around it: a turn lock taken inside is then kept until the update's
answer has been sent, not only until the turn is computed, so the next message of that
person (perhaps at another worker) is answered after it, never before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.db import advisory
from bot.db.advisory import advisory_key
from bot.db.session import Database, make_engine

log = logging.getLogger(__name__)

#: The longest a turn waits for another worker's turn of the same person. A turn holds the
#: lock for its NLU call, database work and sending (with Telegram's retry-after waits); one
#: held longer belongs to a worker that hangs, and the person is answered anyway.
LOCK_WAIT_SECONDS = 60
#: Connections kept open for locks between turns; more are opened while many turns run.
_IDLE_CONNECTIONS = 2
#: The most lock connections (and waiting threads) one set of locks uses at once. Ordinary
#: turns are limited by the dialogue slots (bot/channels/telegram_priority.py) and updates in
#: flight by the webhook's ``max_connections``, both well below this.
_MAX_CONNECTIONS = 64

Release = Callable[[], Awaitable[None]]


class AdvisoryLocks:
    """PostgreSQL session-level advisory locks, each on a pooled connection of its own.

    The connections come from an engine of their own, so turns waiting for a lock never take
    the connections the dialogue's own database work needs. Waiting happens in threads of an
    executor of its own: a thread blocked in ``pg_advisory_lock`` must not hold up the event
    loop's default executor, which every turn's database work uses.
    """

    def __init__(self, database: Database) -> None:
        self._url = database.url
        self._engine: Engine | None = None
        self._executor: ThreadPoolExecutor | None = None

    @staticmethod
    def for_database(database: Database) -> AdvisoryLocks | None:
        """Advisory locks on ``database`` when it is PostgreSQL, else ``None``."""
        if database.engine.dialect.name != "postgresql":
            return None
        return AdvisoryLocks(database)

    def _engine_now(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(
                self._url,
                pool_size=_IDLE_CONNECTIONS,
                max_overflow=_MAX_CONNECTIONS - _IDLE_CONNECTIONS,
                # No transaction stays open while a lock is held (an idle transaction would
                # keep vacuum from its work); a wait ends after LOCK_WAIT_SECONDS.
                isolation_level="AUTOCOMMIT",
                connect_args={"options": f"-c lock_timeout={LOCK_WAIT_SECONDS * 1000}"},
            )
        return self._engine

    def _executor_now(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(_MAX_CONNECTIONS,
                                                thread_name_prefix="advisory-lock")
        return self._executor

    def _lock(self, key: int) -> Connection:
        connection = self._engine_now().connect()
        try:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        except BaseException:
            connection.invalidate()  # whatever it holds goes with the closed session
            connection.close()
            raise
        return connection

    async def acquire(self, key: int) -> Release | None:
        """Wait for the lock ``key`` (off the event loop); return what releases it, or
        ``None`` when the database could not give it (down, or LOCK_WAIT_SECONDS passed):
        the turn then goes on with the process's own lock, as on one worker."""
        loop = asyncio.get_running_loop()
        executor = self._executor_now()
        waiting = loop.run_in_executor(executor, self._lock, key)
        try:
            connection = await asyncio.shield(waiting)
        except asyncio.CancelledError:
            # The thread goes on waiting; whenever it gets the lock, give it back at once.
            waiting.add_done_callback(lambda done: self._abandon(done, key))
            raise
        except SQLAlchemyError as exc:
            log.warning("turn lock not taken in the database (%s); going on without it",
                        type(exc).__name__)
            return None

        async def release() -> None:
            await asyncio.shield(loop.run_in_executor(executor, advisory.unlock, connection, key))

        return release

    def _abandon(self, done: asyncio.Future[Connection], key: int) -> None:
        if done.cancelled() or done.exception() is not None:
            return
        self._executor_now().submit(advisory.unlock, done.result(), key)

    def dispose(self) -> None:
        """Close the idle lock connections and let the waiting threads end."""
        engine, executor = self._engine, self._executor
        self._engine, self._executor = None, None
        if engine is not None:
            engine.dispose()
        if executor is not None:
            executor.shutdown(wait=False)


@dataclass
class _Answering:
    """The turn locks one update took, released together once it is answered."""

    held: dict[tuple[int, str], Release] = field(default_factory=dict)
    open: bool = True


_ANSWERING: ContextVar[_Answering | None] = ContextVar("steunwijzer_answering", default=None)


@asynccontextmanager
async def until_answered() -> AsyncIterator[None]:
    """Keep every turn lock taken inside this block until the block ends (one update, from
    its arrival until its answer was sent). A turn of the same person and kind taken again
    inside the block does not wait for itself."""
    answering = _Answering()
    token = _ANSWERING.set(answering)
    try:
        yield
    finally:
        answering.open = False
        _ANSWERING.reset(token)
        failure: BaseException | None = None
        for release in reversed(list(answering.held.values())):
            try:
                await release()
            except BaseException as exc:  # every lock is given back, whatever happens
                failure = failure or exc
        if failure is not None:
            raise failure


@dataclass
class PersonLocks:
    """A lock per key (a pseudonym; the webhook server also uses one per update id), kept
    only while someone holds or waits for it; across workers too when ``advisory`` is set.

    ``namespace`` keeps the advisory locks of different dialogues apart (the citizen
    pipeline's and the facilitator dialogue's turns of one person are separate locks, taken
    in that order: never the other way round, so they cannot wait for each other).
    """

    advisory: AdvisoryLocks | None = None
    namespace: str = "person"
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _users: dict[str, int] = field(default_factory=dict)

    @classmethod
    def for_database(cls, database: Database, namespace: str = "person") -> PersonLocks:
        """Locks that also hold across workers when ``database`` is PostgreSQL."""
        return cls(AdvisoryLocks.for_database(database), namespace)

    @asynccontextmanager
    async def turn(self, pseudonym: str) -> AsyncIterator[None]:
        """Hold ``pseudonym``'s lock for one turn (asyncio locks are fair: first come, first
        served, so turns keep the order in which they arrived). Inside :func:`until_answered`
        the lock is kept until the update is answered."""
        answering = _ANSWERING.get()
        if answering is not None and not answering.open:
            answering = None
        mine = (id(self), pseudonym)
        if answering is not None and mine in answering.held:
            yield  # this update holds the turn already
            return
        release = await self._acquire(pseudonym)
        if answering is not None:
            answering.held[mine] = release
            yield
            return
        try:
            yield
        finally:
            await release()

    async def _acquire(self, pseudonym: str) -> Release:
        lock = self._locks.setdefault(pseudonym, asyncio.Lock())
        self._users[pseudonym] = self._users.get(pseudonym, 0) + 1
        try:
            await lock.acquire()
        except BaseException:
            self._forget(pseudonym)
            raise
        unlock: Release | None = None
        if self.advisory is not None:
            try:
                unlock = await self.advisory.acquire(advisory_key(self.namespace, pseudonym))
            except BaseException:
                lock.release()
                self._forget(pseudonym)
                raise

        async def release() -> None:
            try:
                if unlock is not None:
                    with contextlib.suppress(SQLAlchemyError):
                        await unlock()
            finally:
                lock.release()
                self._forget(pseudonym)

        return release

    def _forget(self, pseudonym: str) -> None:
        self._users[pseudonym] -= 1
        if not self._users[pseudonym]:
            # Nobody waits: drop it, so memory does not grow with every person ever seen.
            del self._users[pseudonym], self._locks[pseudonym]

    def dispose(self) -> None:
        """Close the advisory locks' connections (nothing to do without them)."""
        if self.advisory is not None:
            self.advisory.dispose()

    def __len__(self) -> int:
        return len(self._locks)
