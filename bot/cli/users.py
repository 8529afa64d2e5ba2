"""``steunwijzer user``: dashboard accounts (add, disable, reset)."""

from __future__ import annotations

import sys

import click

from bot.cli.common import app_context
from bot.cli.root import main


@main.group()
def user() -> None:
    """Dashboard accounts: add, disable, reset."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["coordinator", "admin"]), required=True)
@click.option(
    "--organisation", "organisation_id", help="Organisation id (required for coordinators)."
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="CBS code of a municipality covered (repeat for several), e.g. GM0855.",
)
@click.option(
    "--national",
    is_flag=True,
    help="Also sees requests without a municipality (national/online organisations).",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(
    username: str,
    role: str,
    organisation_id: str | None,
    municipalities: tuple[str, ...],
    national: bool,
    password_stdin: bool,
) -> None:
    """Create a dashboard account."""
    from bot.staff import service as staff

    context = app_context()
    password = _read_password(password_stdin)
    try:
        with context.database.session() as session:
            created = staff.add_user(
                session,
                username=username,
                password=password,
                role=role,
                organisation_id=organisation_id,
                municipality_codes=municipalities,
                national=national,
            )
            name = created.username
    except staff.StaffError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"User {name} added.")


@user.command("disable")
@click.argument("username")
def user_disable(username: str) -> None:
    """Disable an account (its sessions end at once)."""
    from bot.staff import service as staff

    context = app_context()
    try:
        with context.database.session() as session:
            staff.disable_user(session, username)
    except staff.StaffError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"User {username} disabled.")


@user.command("reset")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def user_reset(username: str, password_stdin: bool) -> None:
    """Set a new password (also re-enables the account and ends its sessions)."""
    from bot.staff import service as staff

    context = app_context()
    password = _read_password(password_stdin)
    try:
        with context.database.session() as session:
            staff.reset_password(session, username, password)
    except staff.StaffError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Password of {username} reset.")
