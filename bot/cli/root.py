"""The ``steunwijzer`` group itself: what runs before every command (the logging set-up)."""

from __future__ import annotations

import click

from bot.cli.common import load_settings
from bot.settings import Settings, SettingsError

#: The log file (data_dir/logs/<name>.log) of each command that runs for long; others: cli.
_LOG_NAMES = {"run": "bot", "bot": "bot", "chat": "chat", "web": "web", "classify": "classify"}


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Steunwijzer: anonymous, multilingual signposting to peer groups and volunteer help."""
    from bot.runtime.logging_setup import configure_logging

    # One logging set-up for every command: redacted, rotated and expired, in the log file of
    # what the command runs (bot/runtime/logging_setup/).
    try:
        # Logging needs no key: the dashboard's process must not load them at all.
        settings: Settings | None = load_settings(secrets=False)
    except SettingsError:
        settings = None  # the command reports the bad value itself; log to the console
    configure_logging(settings, _LOG_NAMES.get(ctx.invoked_subcommand or "", "cli"),
                      console=ctx.invoked_subcommand != "chat")
