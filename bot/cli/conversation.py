"""The commands that hold conversations: ``run`` (everything), ``chat`` (the terminal),
``bot`` (Telegram only) and ``classify`` (the decision path on JSON lines)."""

from __future__ import annotations

import asyncio
import sys

import click

from bot.cli.common import app_context, log_to_file, prepare_database
from bot.cli.root import main


@main.command()
@click.option("--no-rasa", is_flag=True,
              help="Do not use the NLU service (degraded mode: keywords and buttons).")
@click.option("--language", help="Telegram-style language hint, e.g. fa.")
def chat(no_rasa: bool, language: str | None) -> None:
    """Talk to the bot in this terminal (the NLU service must already run unless --no-rasa)."""
    from bot.channels.terminal import run_chat

    context = app_context(create_secrets=True)
    log_to_file(context.settings, "chat")
    prepare_database(context, demo_if_empty=True)
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

    context = app_context(create_secrets=True)
    settings = context.settings
    log_dir = settings.data_dir / "logs"

    def prepare() -> None:
        """Everything but the NLU service; runs while Rasa loads its model."""
        prepare_database(context, demo_if_empty=True)
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
        # Language models, crisis lexicons and everyday words now, not on the first message.
        from bot.conversation.warm import warm_up

        warm_up()

    def start_bot() -> None:
        if settings.telegram_token:
            from bot.channels.telegram_app import run_telegram

            settings.require_telegram()
            click.echo("Steunwijzer is running on Telegram. Stop with Ctrl+C.", err=True)
            run_telegram(context)
        else:
            from bot.channels.terminal import run_chat

            log_to_file(settings, "bot")
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

    context = app_context()
    context.settings.require_telegram()
    try:
        prepare_database(context, demo_if_empty=False)
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

    context = app_context(create_secrets=True)
    prepare_database(context, demo_if_empty=True)
    asyncio.run(classify_stream(context, sys.stdin, sys.stdout, use_rasa=not no_rasa))
