"""What the commands share: settings and the app context as a command loads them, and the
database a long-running command prepares before it starts."""

from __future__ import annotations

import click

from bot.context import AppContext
from bot.db import migrate
from bot.runtime.secrets_file import load_runtime_settings
from bot.settings import Settings


def load_settings(create_secrets: bool = False, *, secrets: bool = True) -> Settings:
    """Settings from the environment, plus the first-run secrets file where allowed (the
    environment wins; production refuses the file: bot/runtime/secrets_file.py).

    ``secrets=False``: without keys and tokens, for what needs none (the dashboard, logging).
    """
    return load_runtime_settings(create=create_secrets, with_secrets=secrets)


def log_to_file(settings: Settings, process: str) -> None:
    """In the terminal chat, log lines go only to the file so they do not mix with the
    conversation."""
    from bot.runtime.logging_setup import configure_logging

    configure_logging(settings, process, console=False)


def app_context(create_secrets: bool = False) -> AppContext:
    """The app context of a command, from :func:`load_settings` (with the keys)."""
    return AppContext.from_settings(load_settings(create_secrets))


def prepare_database(context: AppContext, demo_if_empty: bool) -> None:
    """Migrate, load reference data and (for a new install) the demo directory."""
    from sqlalchemy import func, select

    from bot.directory.formats import import_demo
    from bot.directory.gazetteer import load_reference_data
    from bot.directory.models import Service

    migrate.upgrade(context.settings.effective_database_url)
    with context.database.session() as session:
        load_reference_data(session)
        if demo_if_empty and not session.scalar(select(func.count()).select_from(Service)):
            report = import_demo(session, now=context.clock())
            click.echo(f"Loaded the demo directory: {report.summary()}", err=True)
