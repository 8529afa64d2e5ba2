"""``steunwijzer db``: migrate the database up and down."""

from __future__ import annotations

import click

from bot.cli.common import app_context
from bot.cli.root import main
from bot.db import migrate


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the database up and load the gazetteer reference data."""
    from bot.directory.gazetteer import load_reference_data

    context = app_context()
    migrate.upgrade(context.settings.effective_database_url, revision)
    with context.database.session() as session:
        load_reference_data(session)
    click.echo("Database is up to date.")


@db.command("downgrade")
@click.option("--revision", default="base", show_default=True)
def db_downgrade(revision: str) -> None:
    """Migrate the database down (default: remove everything)."""
    migrate.downgrade(app_context().settings.effective_database_url, revision)
    click.echo(f"Database downgraded to {revision}.")
