"""Migrations go up and down cleanly on SQLite and PostgreSQL."""

from sqlalchemy import create_engine, inspect

from bot.db.migrate import downgrade, upgrade
from bot.db.registry import metadata


def test_upgrade_creates_every_table_and_downgrade_removes_them(db_url: str) -> None:
    upgrade(db_url)
    engine = create_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables

    downgrade(db_url, "base")
    remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()

    upgrade(db_url)  # and up again: migrations are repeatable
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_migrations_match_the_models(db_url: str) -> None:
    """A model change without a migration would show up here as a difference."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    upgrade(db_url)
    engine = create_engine(db_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    engine.dispose()


def test_rebuilding_a_sqlite_table_keeps_the_rows_that_point_at_it(sqlite_url: str) -> None:
    """SQLite batch migrations copy, drop and rename a table; with foreign keys on, the drop
    would delete the reminders already sent (and they would go out again)."""
    import sqlite3

    upgrade(sqlite_url, "0009")
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=OFF")  # only the two rows under test, no parents
        db.execute(
            "INSERT INTO reminder_subscription (id, pseudonym, service_id, language, "
            "chat_token, lead_minutes, created_at) VALUES ('s1', 'p', 'svc', 'nl', 't', "
            "'1440', '2026-12-01 10:00:00')"
        )
        db.execute(
            "INSERT INTO reminder_sent (subscription_id, meeting_id, kind, sent_at) "
            "VALUES ('s1', 'm1', 'lead:1440', '2026-12-01 10:00:00')"
        )
    upgrade(sqlite_url)  # 0010 rebuilds reminder_subscription
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM reminder_sent").fetchone() == (1,)
