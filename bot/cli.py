"""The ``steunwijzer`` command line: one entry point for operators and developers."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from bot.context import AppContext
from bot.db import migrate
from bot.runtime.secrets_file import load_runtime_settings
from bot.settings import Settings, SettingsError


def _settings(create_secrets: bool = False, *, secrets: bool = True) -> Settings:
    """Settings from the environment, plus the first-run secrets file where allowed (the
    environment wins; production refuses the file: bot/runtime/secrets_file.py).

    ``secrets=False``: without keys and tokens, for what needs none (the dashboard, logging).
    """
    return load_runtime_settings(create=create_secrets, with_secrets=secrets)


#: The log file (data_dir/logs/<name>.log) of each command that runs for long; others: cli.
_LOG_NAMES = {"run": "bot", "bot": "bot", "chat": "chat", "web": "web", "classify": "classify"}


def _log_to_file(settings: Settings, process: str) -> None:
    """In the terminal chat, log lines go only to the file so they do not mix with the
    conversation."""
    from bot.runtime.logging_setup import configure_logging

    configure_logging(settings, process, console=False)


def _context(create_secrets: bool = False) -> AppContext:
    return AppContext.from_settings(_settings(create_secrets))


def _prepare_database(context: AppContext, demo_if_empty: bool) -> None:
    """Migrate, load reference data and (for a new install) the demo directory."""
    from sqlalchemy import func, select

    from bot.directory.formats import import_demo
    from bot.directory.gazetteer import load_reference_data
    from bot.directory.models import Service

    migrate.upgrade(context.settings.effective_database_url)
    with context.database.session() as session:
        load_reference_data(session)
        if demo_if_empty and not session.scalar(select(func.count()).select_from(Service)):
            report = import_demo(session, now=context.clock())
            click.echo(f"Loaded the demo directory: {report.summary()}", err=True)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Steunwijzer: anonymous, multilingual signposting to peer groups and volunteer help."""
    from bot.runtime.logging_setup import configure_logging

    # One logging set-up for every command: redacted, rotated and expired, in the log file of
    # what the command runs (bot/runtime/logging_setup.py).
    try:
        # Logging needs no key: the dashboard's process must not load them at all.
        settings: Settings | None = _settings(secrets=False)
    except SettingsError:
        settings = None  # the command reports the bad value itself; log to the console
    configure_logging(settings, _LOG_NAMES.get(ctx.invoked_subcommand or "", "cli"),
                      console=ctx.invoked_subcommand != "chat")


# ---------------------------------------------------------------------------- db
@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the database up and load the gazetteer reference data."""
    from bot.directory.gazetteer import load_reference_data

    context = _context()
    migrate.upgrade(context.settings.effective_database_url, revision)
    with context.database.session() as session:
        load_reference_data(session)
    click.echo("Database is up to date.")


@db.command("downgrade")
@click.option("--revision", default="base", show_default=True)
def db_downgrade(revision: str) -> None:
    """Migrate the database down (default: remove everything)."""
    migrate.downgrade(_context().settings.effective_database_url, revision)
    click.echo(f"Database downgraded to {revision}.")


# ---------------------------------------------------------------------------- directory
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
    context = _context()
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

    context = _context()
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

    context = _context()
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


# ---------------------------------------------------------------------------- conversation
@main.command()
@click.option("--no-rasa", is_flag=True,
              help="Do not use the NLU service (degraded mode: keywords and buttons).")
@click.option("--language", help="Telegram-style language hint, e.g. fa.")
def chat(no_rasa: bool, language: str | None) -> None:
    """Talk to the bot in this terminal (the NLU service must already run unless --no-rasa)."""
    from bot.channels.terminal import run_chat

    context = _context(create_secrets=True)
    _log_to_file(context.settings, "chat")
    _prepare_database(context, demo_if_empty=True)
    asyncio.run(run_chat(context, use_rasa=not no_rasa, language=language))


@main.command()
@click.option("--no-rasa", is_flag=True,
              help="Skip the NLU service (degraded mode) for a quick start.")
def run(no_rasa: bool) -> None:
    """Run the product: database, demo directory, the NLU service (Rasa), the dashboard and
    the bot.

    Without STEUNWIJZER_TELEGRAM_TOKEN the bot runs as a terminal chat.
    """
    from bot.runtime.processes import conversation_servers, setup_rasa

    context = _context(create_secrets=True)
    settings = context.settings
    log_dir = settings.data_dir / "logs"

    def prepare() -> None:
        """Everything but the NLU service; runs while Rasa loads its model."""
        _prepare_database(context, demo_if_empty=True)
        # The coordinators' dashboard runs beside the bot in a background thread.
        from bot.web.server import BackgroundServer

        # It gets no keys: a hole in the dashboard must not hand out what turns pseudonyms
        # and sealed chat ids back into people. (Internet-facing: run `steunwijzer web` as
        # its own process, whose memory never holds them.)
        BackgroundServer(context.without_secrets()).start()
        click.echo(
            f"Dashboard: http://{settings.web_host}:{settings.web_port}/ "
            "(create an account with `steunwijzer user add`)",
            err=True,
        )
        # Language models and crisis lexicons now, not on the first message.
        from bot.language.detect import warm_up
        from bot.safety.crisis import check_all

        warm_up()
        check_all("steunwijzer")

    def start_bot() -> None:
        if settings.telegram_token:
            from bot.channels.telegram_app import run_telegram

            settings.require_telegram()
            click.echo("Steunwijzer is running on Telegram. Stop with Ctrl+C.", err=True)
            run_telegram(context)
        else:
            from bot.channels.terminal import run_chat

            _log_to_file(settings, "bot")
            click.echo(
                "No STEUNWIJZER_TELEGRAM_TOKEN set: chatting in this terminal. "
                "Type /help, or press Ctrl+D to stop.",
                err=True,
            )
            asyncio.run(run_chat(context, use_rasa=not no_rasa))

    if no_rasa:
        prepare()
        start_bot()
        return
    click.echo("Preparing Rasa (the first run installs it and trains a model)…", err=True)
    setup_rasa()
    click.echo("Starting the NLU service (Rasa)…", err=True)
    with conversation_servers(settings, log_dir, meanwhile=prepare):
        start_bot()


@main.command("bot")
def telegram_bot() -> None:
    """Run only the Telegram bot (the NLU service runs elsewhere: STEUNWIJZER_RASA_URL)."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.channels.telegram_app import run_telegram

    context = _context()
    context.settings.require_telegram()
    try:
        _prepare_database(context, demo_if_empty=False)
    except SQLAlchemyError as exc:
        # The bot must still answer (crisis lines, degraded mode) with the database down.
        click.echo(
            f"warning: database unavailable ({type(exc).__name__}); starting anyway", err=True
        )
    run_telegram(context)


@main.command()
@click.option("--no-rasa", is_flag=True, help="Use the keyword fallback instead of Rasa.")
def classify(no_rasa: bool) -> None:
    """Read JSON lines {"text": …, "language"?: …} on stdin; write one decision per line.

    Uses the bot's own decision path (safety net included) and starts Rasa if needed.
    """
    from bot.conversation.classify import classify_stream

    context = _context(create_secrets=True)
    _prepare_database(context, demo_if_empty=True)
    asyncio.run(classify_stream(context, sys.stdin, sys.stdout, use_rasa=not no_rasa))


# ---------------------------------------------------------------------------- dashboard
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

    context = AppContext.from_settings(_settings(secrets=False))
    unused = [name for name in _DASHBOARD_UNUSED if os.environ.get(name)]
    if unused:
        click.echo(f"warning: the dashboard does not use {', '.join(unused)}; leave them out of "
                   "its environment", err=True)
    _prepare_database(context, demo_if_empty=False)
    click.echo(
        f"Dashboard: http://{host or context.settings.web_host}:"
        f"{port or context.settings.web_port}/",
        err=True,
    )
    serve(context, host, port)


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

    context = _context()
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

    context = _context()
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

    context = _context()
    password = _read_password(password_stdin)
    try:
        with context.database.session() as session:
            staff.reset_password(session, username, password)
    except staff.StaffError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Password of {username} reset.")


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

    report = run_retention(_context(), tombstone_file)
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


# ---------------------------------------------------------------------------- keys
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

    context = _context()
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


# ---------------------------------------------------------------------------- facilitators
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

    context = _context()
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

    context = _context()
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

    context = _context()
    try:
        with context.database.session() as session:
            removed = revoke(session, context, facilitator_id, revoked_by, group_id)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Revoked: {', '.join(removed) or 'no groups'}.")


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

    context = _context()
    try:
        with context.database.session() as session:
            content = poster_content(session, context.settings, group_id, context.clock())
    except UnknownGroup:
        raise click.ClickException(f"no group {group_id}") from None
    out = out or Path(f"poster-{group_id[:8]}.pdf")
    out.write_bytes(render_poster(content))
    click.echo(str(out))


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


if __name__ == "__main__":
    main()
