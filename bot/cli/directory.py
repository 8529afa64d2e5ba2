"""``steunwijzer directory``: import, export and search the directory of groups and services."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from bot.cli.common import app_context
from bot.cli.root import main


@main.group()
def directory() -> None:
    """The directory of groups and services: import, export, search."""


@directory.command("import")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--demo", is_flag=True, help="Load the fictional demo directory.")
def directory_import(file: Path | None, demo: bool) -> None:
    """Import an HSDS 3.0 JSON or CSV FILE (all or nothing), or the demo directory."""
    from bot.directory.formats import import_demo, import_file

    if bool(file) == demo:
        raise click.UsageError("give either FILE or --demo")
    context = app_context()
    with context.database.session() as session:
        report = import_demo(session, now=context.clock()) if demo else import_file(session, file)  # type: ignore[arg-type]
    if not report.ok:
        click.echo(
            f"Import refused, nothing was changed. {len(report.problems)} problem(s):", err=True
        )
        for problem in report.problems:
            click.echo(f"  {problem.location}: {problem.message}", err=True)
        sys.exit(1)
    click.echo(report.summary())


@directory.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["hsds", "csv"]), default="hsds", show_default=True
)
def directory_export(fmt: str) -> None:
    """Export the directory to standard output (HSDS: a JSON array of services)."""
    from bot.directory.csv_format import export_csv
    from bot.directory.hsds import export_hsds

    context = app_context()
    with context.database.session() as session:
        if fmt == "hsds":
            click.echo(json.dumps(export_hsds(session), ensure_ascii=False, indent=2))
        else:
            click.echo(export_csv(session), nl=False)


@directory.command("search")
@click.option("--topic", help="Topic id, e.g. grief.")
@click.option("--kind", help="Service kind, e.g. peer_group.")
@click.option("--place", help="Municipality, alias (any script) or 4-digit postcode.")
@click.option("--lang", "language", help="Language code: nl, tr, fa, ar, en.")
@click.option("--no-online", is_flag=True, help="Leave out online-only services.")
@click.option("--women-only", is_flag=True)
@click.option("--limit", default=10, show_default=True)
def directory_search(
    topic: str | None,
    kind: str | None,
    place: str | None,
    language: str | None,
    no_online: bool,
    women_only: bool,
    limit: int,
) -> None:
    """Search the directory and print ranked results with their reasons."""
    from bot.directory.search import find_services

    context = app_context()
    with context.database.session() as session:
        outcome = find_services(
            session,
            topic=topic,
            kind=kind,
            place=place,
            language=language,
            online_ok=not no_online,
            women_only=women_only,
            limit=limit,
            now=datetime.now(UTC),
            gazetteer=context.gazetteer,
        )
    if place:
        if outcome.place is not None:
            click.echo(f"Place: {outcome.place.name} ({outcome.place.method} match of {place!r})")
        else:
            click.echo(f"Place: {place!r} is not a known municipality or postcode")
    for rank, result in enumerate(outcome.results, start=1):
        card = result.card
        click.echo(f"{rank:2}. {card.name} [{card.kind}] — {card.organisation_name}")
        click.echo(
            f"    reasons: {', '.join(result.reasons)}; languages: {', '.join(card.languages)}"
        )
        if card.next_meeting is not None:
            click.echo(f"    next meeting: {card.next_meeting.starts_at.isoformat()}")
    if not outcome.results:
        click.echo("No results. Offer instead:")
        for alternative in outcome.alternatives:
            names = ", ".join(c.name for c in alternative.cards) or "a coordinator (ask a person)"
            click.echo(f"  - {alternative.kind}: {names}")
