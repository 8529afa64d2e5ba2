"""``steunwijzer web``: the coordinators' dashboard on its own, without the bot's secrets."""

from __future__ import annotations

import click

from bot.cli.common import load_settings, prepare_database
from bot.cli.root import main
from bot.context import AppContext

#: Secrets only the bot uses; the dashboard process should not even have them in its
#: environment (docs/security.md, "Keys").
_DASHBOARD_UNUSED = ("STEUNWIJZER_PSEUDONYM_SECRET", "STEUNWIJZER_ENCRYPTION_KEY",
                     "STEUNWIJZER_RETIRED_ENCRYPTION_KEYS", "STEUNWIJZER_TELEGRAM_TOKEN")


@main.command()
@click.option("--host", help="Interface to listen on (default STEUNWIJZER_WEB_HOST).")
@click.option("--port", type=int, help="Port (default STEUNWIJZER_WEB_PORT, 8000).")
def web(host: str | None, port: int | None) -> None:
    """Run only the coordinators' dashboard (it holds no pseudonym secret, encryption key or
    token: it needs none)."""
    import os

    from bot.web.server import serve

    context = AppContext.from_settings(load_settings(secrets=False))
    unused = [name for name in _DASHBOARD_UNUSED if os.environ.get(name)]
    if unused:
        click.echo(f"warning: the dashboard does not use {', '.join(unused)}; leave them out of "
                   "its environment", err=True)
    prepare_database(context, demo_if_empty=False)
    click.echo(
        f"Dashboard: http://{host or context.settings.web_host}:"
        f"{port or context.settings.web_port}/",
        err=True,
    )
    serve(context, host, port)
