"""The webhook server of one bot worker: Telegram's updates in, health and metrics out.

Telegram posts every update to the webhook URL, behind the operator's TLS proxy, which spreads
them over the workers (docs/operations.md). Each worker listens on ``webhook_listen`` and
``webhook_port`` and

* refuses (403) any request without the webhook secret in ``X-Telegram-Bot-Api-Secret-Token``
  (setWebhook's ``secret_token``, compared in constant time) before reading it;
* answers Telegram 200 only once the update has been answered, so an update whose worker
  died gets no 200 and Telegram sends it again, perhaps to another worker;
* answers every update once: the ids of answered updates are kept in ``handled_update``, and
  an update that arrives again while it is being answered waits for that answer (a lock on
  its id, across workers on PostgreSQL) and is then skipped. Not a crisis message (the
  crisis lexicon flags its words): its answer waits for nothing, not even for the database,
  so one Telegram sends twice (rare: after a worker died or hung) is answered twice;
* hands updates to python-telegram-bot through its update processor, so crisis messages
  still go first (bot/channels/telegram_priority.py), and keeps a person's turn lock until
  the answer has been sent (bot/conversation/ordering.py: the next message of that person,
  at any worker, is answered after it).

Besides: ``GET /healthz`` (the process lives), ``GET /readyz`` (the database answers and the
bot runs; the NLU service is not asked, without it the bot answers in degraded mode) and
``GET /metrics`` (Prometheus). The proxy keeps these three off the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels.telegram_priority import words_of
from bot.context import AppContext
from bot.conversation.models import HandledUpdate
from bot.conversation.ordering import PersonLocks, until_answered
from bot.db.session import Database
from bot.runtime.metrics import UPDATES_REPEATED, exposition
from bot.safety.net import lexicon_signal
from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram opens at most this many connections to the webhook at once, for all workers
#: together (its default). More would only wait: each worker answers a few ordinary turns at
#: once (telegram_priority.DIALOGUE_SLOTS), and crisis messages do not wait for a slot.
MAX_CONNECTIONS = 40
#: How long /readyz waits for the database's ``SELECT 1``.
READY_TIMEOUT_SECONDS = 3.0
#: On SIGTERM the worker stops taking updates and finishes the ones it took, this long at most
#: (systemd's TimeoutStopSec is 30 s); Telegram sends any left without a 200 again.
GRACE_SECONDS = 25


def webhook_arguments(settings: Settings) -> dict[str, Any]:
    """What every worker passes to ``setWebhook``: the URL (the same for all workers), the
    secret Telegram sends back with every update, every kind of update, and
    :data:`MAX_CONNECTIONS`. No secret, no webhook: raises :class:`SettingsError`."""
    if not settings.webhook_url or not settings.webhook_secret:
        raise SettingsError("steunwijzer: webhook mode needs STEUNWIJZER_WEBHOOK_URL and "
                            "STEUNWIJZER_WEBHOOK_SECRET")
    return {
        "url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
        "allowed_updates": Update.ALL_TYPES,
        "max_connections": MAX_CONNECTIONS,
    }


def webhook_path(settings: Settings) -> str:
    """Where updates are posted: the path of the webhook URL (the proxy passes it on)."""
    return urlsplit(settings.webhook_url or "").path or "/"


class UpdateLedger:
    """Which updates were answered (``handled_update``), and a claim on one while it is being
    answered, so that one delivered twice, to one worker or two, is answered once."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._claims = PersonLocks.for_database(database, namespace="update")

    async def record(self, update_id: int) -> None:
        """Remember ``update_id`` as answered (without a claim: see ``webhook_app``)."""
        await self._record(update_id)

    @asynccontextmanager
    async def answering(self, update_id: int) -> AsyncIterator[bool]:
        """Claim ``update_id`` and yield whether it still needs an answer; when the block
        ends without an error it is recorded as answered. With the database down the update
        is answered anyway (a duplicate is better than silence)."""
        async with self._claims.turn(str(update_id)):
            if await self._answered(update_id):
                yield False
                return
            yield True
            await self._record(update_id)

    async def _answered(self, update_id: int) -> bool:
        try:
            return await self._database.run(_is_answered, update_id)
        except SQLAlchemyError as exc:
            log.warning("could not look up an update's id (%s); answering it",
                        type(exc).__name__)
            return False

    async def _record(self, update_id: int) -> None:
        try:
            await self._database.run(_add_answered, update_id)
        except IntegrityError:
            pass  # another worker recorded it (its claim was not possible: database trouble)
        except SQLAlchemyError as exc:
            log.warning("could not record an answered update (%s)", type(exc).__name__)

    def dispose(self) -> None:
        """Close the claims' database connections."""
        self._claims.dispose()


def _is_answered(session: Session, update_id: int) -> bool:
    return session.get(HandledUpdate, update_id) is not None


def _add_answered(session: Session, update_id: int) -> None:
    session.add(HandledUpdate(update_id=update_id))


def _read_update(body: bytes, application: Application) -> Update | None:
    """The update in ``body``, or ``None`` when it cannot be read. Only the error's type is
    logged: the body is what a person sent."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            raise TypeError("not an object")
        return Update.de_json(data, application.bot)
    except Exception as exc:  # whatever the library raises on a malformed body
        log.warning("could not read an update from Telegram (%s); its data is left out",
                    type(exc).__name__)
        return None


def _database_answers(database: Database) -> None:
    with database.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def webhook_app(application: Application, context: AppContext,
                ledger: UpdateLedger | None = None) -> Starlette:
    """The ASGI app of one worker (see the module's docstring). ``application`` must be
    initialised and started before updates come in."""
    settings = context.settings
    webhook_arguments(settings)  # no secret, no webhook
    secret = settings.webhook_secret.encode()
    ledger = ledger or UpdateLedger(context.database)

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            return Response(status_code=403)
        update = _read_update(await request.body(), application)
        if update is None:
            return Response(status_code=400)
        if not application.running:
            return Response(status_code=503)  # starting or stopping: Telegram sends it again
        if lexicon_signal(words_of(update)) is not None:
            # A crisis answer waits for nothing, not even the database's claim (a hanging
            # database would hold it up): sent again, it would be shown twice at worst.
            await _process(update)
            await ledger.record(update.update_id)
            return Response()
        async with ledger.answering(update.update_id) as fresh:
            if not fresh:
                UPDATES_REPEATED.inc()
                return Response()
            async with until_answered():
                await _process(update)
        return Response()

    async def _process(update: Update) -> None:
        # The handlers answer or apologise themselves (on_error); what escapes here is not an
        # answered update, so Telegram gets no 200 and sends it again.
        await application.update_processor.process_update(
            update, application.process_update(update))

    async def healthz(_: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(_: Request) -> Response:
        if not application.running:
            return PlainTextResponse("bot not running", status_code=503)
        try:
            await asyncio.wait_for(context.database.run_sync(_database_answers,
                                                             context.database),
                                   READY_TIMEOUT_SECONDS)
        except (SQLAlchemyError, TimeoutError):
            return PlainTextResponse("database unavailable", status_code=503)
        return PlainTextResponse("ready")

    async def metrics(_: Request) -> Response:
        return Response(exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    return Starlette(routes=[
        Route(webhook_path(settings), telegram, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ])


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: :class:`WebhookWorker` handles SIGINT and
    SIGTERM, so the bot stops in order after the last update (uvicorn would raise the signal
    again once it stopped, ending the process before the bot's jobs are stopped)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``: connections queue from now on, also while the
    worker is still starting."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=2048)


class WebhookWorker:
    """One bot worker in webhook mode: python-telegram-bot's application (jobs included)
    and the webhook server, started and stopped in order, as python-telegram-bot's example
    for a custom webhook server does."""

    def __init__(self, application: Application, context: AppContext,
                 sock: socket.socket | None = None) -> None:
        self.application = application
        self.context = context
        self.arguments = webhook_arguments(context.settings)
        self._sock = sock
        self.ledger = UpdateLedger(context.database)
        config = uvicorn.Config(
            webhook_app(application, context, self.ledger),
            # log_config=None: uvicorn's lines go through the process's one logging set-up;
            # no access log (paths and codes only, but nothing an operator needs per update).
            log_config=None, log_level="warning", access_log=False, lifespan="off",
            ws="none", timeout_graceful_shutdown=GRACE_SECONDS,
        )
        self.server = _Server(config)
        #: Set once the worker takes updates (the webhook is set, the server listens).
        self.started = asyncio.Event()

    def stop(self) -> None:
        """Stop taking updates; :meth:`serve` returns once those taken are answered."""
        self.server.should_exit = True

    async def serve(self) -> None:
        """Run until :meth:`stop` (or SIGINT/SIGTERM in the main thread)."""
        settings = self.context.settings
        sock = self._sock or listening_socket(settings.webhook_listen, settings.webhook_port)
        application = self.application
        try:
            async with application:
                if application.post_init is not None:
                    await application.post_init(application)
                await application.start()
                try:
                    await self._set_webhook()
                    with self._signals():
                        # The socket listens already: what arrives now waits for uvicorn.
                        self.started.set()
                        await self.server.serve(sockets=[sock])
                finally:
                    await application.stop()
                    if application.post_stop is not None:
                        await application.post_stop(application)
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
        finally:
            sock.close()
            self.ledger.dispose()

    async def _set_webhook(self) -> None:
        """Tell Telegram where to post (every worker does, with the same arguments, so it
        does not matter which starts first). On failure the worker serves anyway: another
        worker, or an earlier start, has set it."""
        try:
            await self.application.bot.set_webhook(**self.arguments)
        except TelegramError as exc:
            log.warning("could not set the webhook (%s); serving anyway", type(exc).__name__)

    @contextlib.contextmanager
    def _signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        installed = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.stop)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread (tests): stop() is called instead
            installed.append(sig)
        try:
            yield
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)


async def serve_webhook(application: Application, context: AppContext) -> None:
    """Run one worker on ``webhook_listen:webhook_port`` until SIGINT or SIGTERM."""
    await WebhookWorker(application, context).serve()
