"""``steunwijzer settings``: every setting with its default and help (never a value)."""

from __future__ import annotations

import click

from bot.cli.root import main


@main.command("settings")
@click.option("--markdown", is_flag=True, help="Print the table of docs/settings.md instead.")
def settings_list(markdown: bool) -> None:
    """Every setting: its environment variable, default and what it does (never a value)."""
    import textwrap

    from bot.settings import settings_help, settings_table

    if markdown:
        click.echo(settings_table(), nl=False)
        return
    for item in settings_help():
        secret = "  (secret)" if item.secret else ""
        click.echo(f"{item.env}  default: {item.default or '(none)'}{secret}")
        click.echo(textwrap.fill(item.description, 92, initial_indent="    ",
                                 subsequent_indent="    "))
