"""Engine and session factory. One :class:`Database` per process, passed explicitly.

Synchronous code opens a unit of work with ``with database.session() as session:``. Async
code (the bot's handlers and jobs) never does that on the event loop: it awaits
:meth:`Database.run` (one unit of work in a worker thread) or, for service code that opens
its own units of work, :meth:`Database.run_sync`. The dashboard's routes get their session
from a dependency instead (``bot/web/deps.py``, ``DbSession``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

P = ParamSpec("P")
T = TypeVar("T")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # Foreign keys are off by default in SQLite; WAL lets the bot, the dashboard
    # and the CLI read while one of them writes.
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, not left in free pages (privacy.md: /forget
    # and retention must not be recoverable from the file; the WAL is truncated after them).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine for ``url``, creating the SQLite folder when needed; ``options`` go
    to ``create_engine`` (pool sizes, isolation level; ``connect_args`` are added)."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: a database error's text (logged, raised, shown) never carries the bound
    # values: what a person wrote, pseudonyms, sealed chat ids (docs/security.md).
    connect_args: dict[str, object] = {}
    if url.startswith("postgresql"):
        # A database that hangs (a frozen host, a cut network) must fail a turn quickly, not
        # leave it silent: connecting gives up after 5 s, and TCP keepalives notice a dead
        # peer under an open connection within about 30 s.
        connect_args = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10,
                        "keepalives_interval": 5, "keepalives_count": 3}
    connect_args.update(options.pop("connect_args", {}))
    engine = create_engine(url, pool_pre_ping=True, future=True, hide_parameters=True,
                           connect_args=connect_args, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@dataclass
class Database:
    """Holds the engine and hands out sessions; services receive one of these."""

    url: str
    engine: Engine = field(init=False)
    _factory: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.url)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        session = self._factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def unit_of_work(self, work: Callable[Concatenate[Session, P], T], *args: P.args,
                     **kwargs: P.kwargs) -> T:
        """``work(session, *args, **kwargs)`` in a session of its own: committed when it
        returns, rolled back when it raises."""
        with self.session() as session:
            return work(session, *args, **kwargs)

    async def run(self, work: Callable[Concatenate[Session, P], T], *args: P.args,
                  **kwargs: P.kwargs) -> T:
        """From async code: :meth:`unit_of_work` in a worker thread, off the event loop."""
        return await self.run_sync(self.unit_of_work, work, *args, **kwargs)

    @staticmethod
    async def run_sync(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """From async code: synchronous service code that opens its own units of work (a job
        holding a claim across several transactions) in a worker thread, off the event
        loop. Prefer :meth:`run` when the work is one unit."""
        return await asyncio.to_thread(work, *args, **kwargs)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
