"""The ``steunwijzer`` command line: one entry point for operators and developers.

``main`` (``bot/cli/root.py``) is the group; each module here adds the commands of one job to
it when imported: the database, the directory, the conversations (run, chat, bot, classify),
the dashboard, its accounts, retention, keys, facilitators, posters and the settings.
"""

from __future__ import annotations

from bot.cli import (  # noqa: F401  (imported to add their commands to ``main``)
    conversation,
    dashboard,
    db,
    directory,
    facilitators,
    keys,
    poster,
    retention,
    settings_help,
    users,
)
from bot.cli.common import load_settings
from bot.cli.root import main

#: The name the settings loader had before the CLI became a package.
_settings = load_settings

__all__ = ["main"]
