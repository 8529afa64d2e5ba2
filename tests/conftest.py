"""Shared fixtures: a migrated database on SQLite and on the real PostgreSQL server.

Under ``CI=true`` a PostgreSQL test that would skip fails instead (standing rule 3).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from bot.db.migrate import upgrade
from bot.db.session import Database

PG_ADMIN_DSN = os.environ.get(
    "STEUNWIJZER_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _pg_available() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3):
            return None
    except psycopg.Error as exc:  # pragma: no cover - depends on the machine
        return str(exc).splitlines()[0]


def require_postgres() -> None:
    """Skip (or fail under CI) when PostgreSQL cannot be reached."""
    problem = _pg_available()
    if problem is None:
        return
    message = f"PostgreSQL at 127.0.0.1:5432 unavailable: {problem}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped afterwards."""
    require_postgres()
    name = f"steunwijzer_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
            + "/"
            + name
        )
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A SQLite file URL in the test's temporary folder."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        # A connection a previous test left idle in a transaction (a session closed only by
        # the garbage collector) would hold its locks and make the DROP below wait for ever.
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    url = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """A migrated database (both engines), with gazetteer reference data loaded."""
    upgrade(db_url)
    db = Database(db_url)
    from bot.directory.gazetteer import load_reference_data

    with db.session() as session:
        load_reference_data(session)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(sqlite_url: str) -> Iterator[Database]:
    """A migrated SQLite database with gazetteer reference data (for fast, engine-neutral tests)."""
    upgrade(sqlite_url)
    db = Database(sqlite_url)
    from bot.directory.gazetteer import load_reference_data

    with db.session() as session:
        load_reference_data(session)
    yield db
    db.dispose()


@pytest.fixture(autouse=True)
def _logging_set_up_ends_with_the_test() -> Iterator[None]:
    """A test that runs a CLI command sets up the process's logging (handlers into its
    temporary data folder, the redacting record factory, exception hooks): undo it after."""
    yield
    from bot.runtime.logging_setup import reset_logging

    reset_logging()
