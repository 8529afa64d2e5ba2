"""One turn at a time per person (bot/conversation/ordering.py): in one process with asyncio
locks, across workers with PostgreSQL advisory locks, and until the answer was sent inside
``until_answered``. Each "worker" here is a :class:`PersonLocks` with its own connections to
the shared database, as in two processes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from lock_waits import until_waiting
from sqlalchemy import text

from bot.conversation.ordering import PersonLocks, advisory_key, until_answered
from bot.db.session import Database

ANNA, BEN = "a" * 32, "b" * 32


async def _turn(locks: PersonLocks, who: str, log: list[str], label: str,
                hold: asyncio.Event | None = None, entered: asyncio.Event | None = None) -> None:
    async with locks.turn(who):
        log.append(f"{label} in")
        if entered is not None:
            entered.set()
        if hold is not None:
            await hold.wait()
        log.append(f"{label} out")




async def test_one_persons_turns_run_one_at_a_time_in_order_others_in_parallel() -> None:
    locks, log = PersonLocks(), []
    first_hold = asyncio.Event()
    first = asyncio.create_task(_turn(locks, ANNA, log, "anna 1", first_hold))
    await asyncio.sleep(0)  # anna's first turn holds her lock
    second = asyncio.create_task(_turn(locks, ANNA, log, "anna 2"))
    await _turn(locks, BEN, log, "ben")  # not held up by anna
    assert log == ["anna 1 in", "ben in", "ben out"]
    first_hold.set()
    await asyncio.gather(first, second)
    assert log[3:] == ["anna 1 out", "anna 2 in", "anna 2 out"]
    assert len(locks) == 0  # nobody waits: nothing kept


async def test_inside_until_answered_the_turn_is_kept_until_the_answer_is_out() -> None:
    locks, log = PersonLocks(), []
    answered = asyncio.Event()

    async def update() -> None:
        async with until_answered():
            await _turn(locks, ANNA, log, "turn")
            await _turn(locks, ANNA, log, "again")  # same update: does not wait for itself
            log.append("sending")
            await answered.wait()
            log.append("sent")

    answering = asyncio.create_task(update())
    await asyncio.sleep(0)
    assert log == ["turn in", "turn out", "again in", "again out", "sending"]
    nxt = asyncio.create_task(_turn(locks, ANNA, log, "next"))
    await asyncio.sleep(0)
    assert "next in" not in log  # the next message waits for the answer, not the turn only
    answered.set()
    await asyncio.gather(answering, nxt)
    assert log[-3:] == ["sent", "next in", "next out"]
    assert len(locks) == 0


def test_the_database_key_is_a_64_bit_hash_apart_per_kind() -> None:
    keys = {advisory_key(kind, ANNA) for kind in ("person", "facilitator", "update")}
    assert len(keys) == 3
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert advisory_key("person", ANNA) == advisory_key("person", ANNA)


def test_sqlite_has_the_process_lock_only(sqlite_database: Database) -> None:
    assert PersonLocks.for_database(sqlite_database).advisory is None


# --------------------------------------------------------------------------- across workers

#: The tests below run on PostgreSQL only (advisory locks are PostgreSQL's).
on_postgres = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def workers(database: Database) -> Iterator[tuple[PersonLocks, PersonLocks, Database]]:
    """Two workers' locks on one PostgreSQL database (each with its own connections)."""
    a = PersonLocks.for_database(database)
    b = PersonLocks.for_database(Database(database.url))
    assert a.advisory is not None and b.advisory is not None
    yield a, b, database
    a.dispose()
    b.dispose()


@pytest.mark.postgres
@on_postgres
async def test_a_turn_at_another_worker_waits_for_the_persons_turn_here(workers) -> None:
    a, b, database = workers
    log: list[str] = []
    hold, entered = asyncio.Event(), asyncio.Event()
    await _turn(a, ANNA, log, "a")
    held = asyncio.create_task(_turn(a, BEN, log, "ben at a", hold, entered))
    await entered.wait()
    # Ben's turn at worker a holds his lock in the database: his turn at worker b waits ...
    at_b = asyncio.create_task(_turn(b, BEN, log, "ben at b"))
    await until_waiting(database, 1)
    # ... and Anna's turn at worker b does not.
    await _turn(b, ANNA, log, "anna at b")
    assert "ben at b in" not in log
    hold.set()
    await asyncio.gather(held, at_b)
    assert log.index("ben at a out") < log.index("ben at b in")


@pytest.mark.postgres
@on_postgres
async def test_until_answered_holds_the_database_lock_too(workers) -> None:
    a, b, database = workers
    log: list[str] = []
    answered, computed = asyncio.Event(), asyncio.Event()

    async def update_at_a() -> None:
        async with until_answered():
            await _turn(a, ANNA, log, "a")
            computed.set()
            await answered.wait()
            log.append("a sent")

    answering = asyncio.create_task(update_at_a())
    await computed.wait()
    at_b = asyncio.create_task(_turn(b, ANNA, log, "b"))
    await until_waiting(database, 1)
    answered.set()
    await asyncio.gather(answering, at_b)
    assert log == ["a in", "a out", "a sent", "b in", "b out"]


@pytest.mark.postgres
@on_postgres
async def test_a_worker_that_dies_frees_the_persons_turn(workers) -> None:
    """The holder's connection closes (its process died): PostgreSQL frees the lock and the
    waiting turn at the other worker goes on."""
    a, b, database = workers
    log: list[str] = []
    hold, entered = asyncio.Event(), asyncio.Event()
    held = asyncio.create_task(_turn(a, ANNA, log, "a", hold, entered))
    await entered.wait()
    at_b = asyncio.create_task(_turn(b, ANNA, log, "b"))
    await until_waiting(database, 1)
    with database.engine.begin() as connection:
        killed = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
            "WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()"
        )).scalar_one()
    assert killed == 1
    await at_b
    assert log == ["a in", "b in", "b out"]
    hold.set()
    await held  # the dead worker's own turn ends without an error (its unlock just fails)
