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
