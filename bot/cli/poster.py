"""``steunwijzer poster``: a printable poster of a group."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import app_context
from bot.cli.root import main


@main.command()
@click.option("--group", "group_id", required=True, help="The group's id.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF to write (default poster-<group>.pdf).",
)
def poster(group_id: str, out: Path | None) -> None:
    """An A4 PDF poster of a group with a QR code of its deep link, in four languages."""
    from bot.posters.pdf import UnknownGroup, poster_content, render_poster

    context = app_context()
    try:
        with context.database.session() as session:
            content = poster_content(session, context.settings, group_id, context.clock())
    except UnknownGroup:
        raise click.ClickException(f"no group {group_id}") from None
    out = out or Path(f"poster-{group_id[:8]}.pdf")
    out.write_bytes(render_poster(content))
    click.echo(str(out))
