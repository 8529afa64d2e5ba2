"""``steunwijzer invite`` and ``steunwijzer facilitator``: invite facilitators for a
group, list and revoke them."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import app_context
from bot.cli.root import main


@main.command()
@click.option("--group", "group_id", required=True, help="The peer group's id.")
@click.option(
    "--expires-hours",
    default=None,
    type=click.IntRange(1, 24 * 30),
    help="Hours the link stays valid (default STEUNWIJZER_INVITATION_HOURS, 72).",
)
@click.option(
    "--qr",
    "qr_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to save the QR code PNG (default invitation-<group>.png).",
)
@click.option(
    "--by", "created_by", default="cli", show_default=True, help="Who invites (for the audit log)."
)
def invite(group_id: str, expires_hours: int | None, qr_path: Path | None, created_by: str) -> None:
    """Invite a facilitator for a group: prints a single-use deep link and saves its QR code."""
    from datetime import timedelta

    import segno

    from bot.facilitators.errors import Refused
    from bot.facilitators.membership import create_invitation

    context = app_context()
    expires = timedelta(hours=expires_hours) if expires_hours else None
    try:
        with context.database.session() as session:
            invitation = create_invitation(session, context, group_id, created_by, expires)
    except Refused as refusal:
        raise click.ClickException(refusal.render("en")) from None
    qr_path = qr_path or Path(f"invitation-{group_id[:8]}.png")
    segno.make(invitation.link, error="m").save(str(qr_path), scale=8, border=4)
    click.echo(invitation.link)
    click.echo(
        f"Valid until {invitation.expires_at.isoformat(timespec='minutes')}, once. "
        f"QR code: {qr_path}",
        err=True,
    )


@main.group()
def facilitator() -> None:
    """Facilitators: list and revoke."""


@facilitator.command("list")
def facilitator_list() -> None:
    """Every facilitator: id, chosen name, groups (never anything from Telegram)."""
    from bot.facilitators.membership import list_facilitators

    context = app_context()
    with context.database.session() as session:
        rows = list_facilitators(session)
    for row in rows:
        state = " (revoked)" if row.revoked else ""
        groups = ", ".join(f"{name} [{gid}]" for gid, name in row.groups) or "-"
        click.echo(f"{row.id}  {row.display_name or '?'}{state}  groups: {groups}")


@facilitator.command("revoke")
@click.argument("facilitator_id")
@click.option("--group", "group_id", help="Only this group (default: all, and the account).")
@click.option("--by", "revoked_by", default="cli", show_default=True)
def facilitator_revoke(facilitator_id: str, group_id: str | None, revoked_by: str) -> None:
    """Take a facilitator off one group, or off every group."""
    from bot.facilitators.membership import revoke

    context = app_context()
    try:
        with context.database.session() as session:
            removed = revoke(session, context, facilitator_id, revoked_by, group_id)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Revoked: {', '.join(removed) or 'no groups'}.")
