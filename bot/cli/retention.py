"""``steunwijzer retention``: apply every retention period now."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import app_context
from bot.cli.root import main


@main.command("retention")
@click.option(
    "--tombstones", "tombstone_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Tombstone file to read and rewrite (default STEUNWIJZER_TOMBSTONE_FILE); after a "
    "restore, the one kept outside the restored backup.",
)
def retention(tombstone_file: Path | None) -> None:
    """Apply every retention period now (the bot also does it hourly); after restoring a
    backup, run this before starting the bot: it deletes again what /forget deleted."""
    from bot.requests.retention import run_retention

    report = run_retention(app_context(), tombstone_file)
    click.echo(
        f"{report.expired_requests} request(s) expired, "
        f"{report.ended_requests_deleted} ended request(s) deleted, "
        f"{report.inactive_profiles} inactive profile(s) and "
        f"{report.inactive_subscriptions} inactive subscription(s) deleted, "
        f"{report.lapsed_invitations} feedback invitation(s) lapsed, "
        f"{report.idle_conversations} idle conversation(s) deleted, "
        f"{report.tombstones_applied} row(s) deleted again after a restore, "
        f"{report.tombstones_expired} tombstone(s) expired."
    )
