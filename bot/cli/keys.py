"""``steunwijzer keys``: generate secrets, rotate the encryption key of stored chat ids."""

from __future__ import annotations

import click

from bot.cli.common import app_context
from bot.cli.root import main


@main.group()
def keys() -> None:
    """Secrets: generate new ones, rotate the encryption key."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a fresh pseudonym secret and encryption key, for the environment (never for the
    data folder in production)."""
    import secrets

    from bot.privacy.sealed import generate_key

    click.echo(f"STEUNWIJZER_PSEUDONYM_SECRET={secrets.token_urlsafe(32)}")
    click.echo(f"STEUNWIJZER_ENCRYPTION_KEY={generate_key()}")


@keys.command("rotate")
@click.option("--drop-unreadable", is_flag=True,
              help="Delete stored chat ids no configured key opens (their requests and "
              "subscriptions can no longer write to anyone) instead of stopping.")
def keys_rotate(drop_unreadable: bool) -> None:
    """Re-seal every stored chat id under STEUNWIJZER_ENCRYPTION_KEY.

    First make the new key current and list the old one in
    STEUNWIJZER_RETIRED_ENCRYPTION_KEYS (for the bot too, so it opens both meanwhile); when
    this reports success, remove the old key everywhere.
    """
    from bot.privacy.keys import UnreadableTokens, rotate_sealed_chat_ids
    from bot.privacy.sealed import key_id

    context = app_context()
    sealer = context.sealer
    if sealer is None:
        raise click.ClickException("STEUNWIJZER_ENCRYPTION_KEY is not set")
    try:
        with context.database.session() as session:
            report = rotate_sealed_chat_ids(session, sealer, drop_unreadable=drop_unreadable)
    except UnreadableTokens as exc:
        raise click.ClickException(
            f"{exc}; nothing was changed. List the old key in "
            "STEUNWIJZER_RETIRED_ENCRYPTION_KEYS, or use --drop-unreadable."
        ) from None
    click.echo(
        f"{report.resealed} chat id(s) re-sealed, {report.current} already current, "
        f"{report.dropped} unreadable dropped; every stored chat id is now under key "
        f"{key_id(context.settings.encryption_key)}."
    )
    retired = [key_id(k) for k in context.settings.retired_keys]
    if retired:
        click.echo(f"The retired key(s) {', '.join(retired)} can now be removed from "
                   "STEUNWIJZER_RETIRED_ENCRYPTION_KEYS.")
