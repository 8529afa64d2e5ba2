"""A job runs in one worker at a time (bot/db/claims.py): on PostgreSQL an advisory lock held
on a connection of its own, given back at the end and gone with a worker that dies; on
SQLite (one process) always allowed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from outbox_harness import ON_POSTGRES
from sqlalchemy import create_engine, text

from bot.db.claims import exclusive, exclusive_async, lock_key
from bot.db.session import Database

ROOT = Path(__file__).resolve().parents[2]


def test_lock_numbers_are_stable_64_bit_and_differ_per_job() -> None:
    keys = {name: lock_key(name) for name in ("outbox", "reminders", "retention", "conversations")}
    assert len(set(keys.values())) == 4
    assert all(-(2**63) <= key < 2**63 for key in keys.values())
    assert lock_key("outbox") == keys["outbox"]


def test_on_sqlite_the_one_process_may_always_run(sqlite_database: Database) -> None:
    with (
        exclusive(sqlite_database, "outbox") as first,
        exclusive(sqlite_database, "outbox") as again,
    ):
        assert first and again


@ON_POSTGRES
def test_while_one_worker_holds_a_job_another_skips_it(database: Database) -> None:
    other = Database(database.url)
    try:
        with exclusive(database, "reminders") as mine:
            assert mine
            with exclusive(other, "reminders") as theirs:
                assert not theirs
            with exclusive(other, "retention") as different_job:
                assert different_job
        with exclusive(other, "reminders") as theirs:
            assert theirs  # given back at the end of the run
    finally:
        other.dispose()


@ON_POSTGRES
async def test_the_async_claim_is_given_back_when_the_job_fails(database: Database) -> None:
    other = Database(database.url)
    try:
        with pytest.raises(RuntimeError):
            async with exclusive_async(database, "outbox") as mine:
                assert mine
                async with exclusive_async(other, "outbox") as theirs:
                    assert not theirs
                raise RuntimeError("the job failed")
        async with exclusive_async(other, "outbox") as theirs:
            assert theirs
    finally:
        other.dispose()


@ON_POSTGRES
def test_a_claim_whose_connection_was_lost_is_given_back_quietly(database: Database) -> None:
    other = Database(database.url)
    try:
        with exclusive(database, "outbox") as mine:
            assert mine
            # The server ends the claim's session (as a restart would): the lock goes with it.
            with other.engine.connect() as admin:
                admin.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() "
                    "AND database = (SELECT oid FROM pg_database "
                    "WHERE datname = current_database())"))
            with exclusive(other, "outbox") as theirs:
                assert theirs
        with exclusive(database, "outbox") as again:
            assert again  # the broken connection went nowhere near the pool
    finally:
        other.dispose()


@ON_POSTGRES
def test_a_worker_that_dies_holding_a_job_does_not_block_it(database: Database) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\n"
         "from bot.db.claims import exclusive\n"
         "from bot.db.session import Database\n"
         "with exclusive(Database(sys.argv[1]), 'outbox') as mine:\n"
         "    print('held' if mine else 'refused', flush=True)\n"
         "    sys.stdin.read()\n",
         database.url],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with exclusive(database, "outbox") as mine:
            assert not mine
        holder.send_signal(signal.SIGKILL)  # no clean-up runs
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
    # Wait for the server to notice (a blocking lock, no polling), then it is free again.
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SET statement_timeout = '30s'"))
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": lock_key("outbox")})
            connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                               {"key": lock_key("outbox")})
    finally:
        engine.dispose()
    with exclusive(database, "outbox") as mine:
        assert mine
