"""Alembic environment: uses the URL given by :mod:`bot.db.migrate`."""

from __future__ import annotations

from alembic import context

from bot.db.registry import metadata
from bot.db.session import make_engine

config = context.config


def run_migrations() -> None:
    """Run migrations online against the configured URL."""
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a SQLite table (copy, drop, rename); with foreign keys on,
            # the drop would cascade into the rows that point at it (reminders already sent,
            # a staff member's sessions). Alembic's advice: off while migrating. A PRAGMA has
            # no effect inside a transaction, so this comes first.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    engine.dispose()


run_migrations()
