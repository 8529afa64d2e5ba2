"""The pieces of the fault tests: a private PostgreSQL cluster the test may stop, the real bot
application long-polling the fake Telegram Bot API in the test's event loop, and citizens who
talk to it and see what comes back.

Nothing of python-telegram-bot is mocked: the application is ``build_application``'s, with
its handlers, crisis-first update processor, error handler and jobs, fetching updates with
``getUpdates``. One handler is added in a later group (python-telegram-bot runs the groups of
an update one after the other, also after a handler raised), so the test knows when the bot
has finished an update and which messages it sent for it, without waiting for time to pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fakes.telegram_api import FakeTelegram, FakeUser, SentMessage
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.telegram_app import build_application
from bot.context import AppContext
from bot.db.session import Database
from bot.directory.formats import import_demo
from bot.directory.gazetteer import load_reference_data
from bot.i18n.catalogs import Translator
from bot.privacy.sealed import generate_key
from bot.settings import Settings
from bot.vocabulary import ALL_LANGUAGES

#: How long a test waits for the bot to finish one update before failing (a generous bound
#: on a loaded 2-core machine; the speed claims are asserted separately).
TURN_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------- what people say
@dataclass(frozen=True)
class Phrases:
    """What a person writing in one language says in these tests."""

    language: str
    crisis: str  # the crisis lexicon knows it
    search: str  # looking for a group in a place
    place: str  # a place on its own, typed when asked for one


PHRASES = (
    Phrases("nl", "ik wil er een eind aan maken", "ik zoek een groep in Utrecht", "Utrecht"),
    Phrases("tr", "artik yasamak istemiyorum", "Utrecht'te bir grup arıyorum", "Utrecht"),
    Phrases("fa", "دیگه نمیخوام زنده باشم", "دنبال یه گروه تو اوترخت هستم", "اوترخت"),
    Phrases("ar", "ما بدي عيش بعد اليوم", "ابحث عن مجموعة في اوترخت", "اوترخت"),
)


def said(language: str, msgid: str) -> str:
    """A catalog string as the person sees it, up to its first placeholder."""
    return Translator(language).gettext(msgid).split("{", 1)[0].strip()


#: What the crisis answer always says (safety.md rule 2: the person can keep writing).
KEEP_WRITING = "You can keep writing to me here."
#: The degraded-mode line (no NLU replica answers).
UNDERSTANDS_LESS = "I understand less than usual right now. The buttons still work."
#: The database is unreachable during a dialogue turn.
DATABASE_DOWN = (
    "Sorry, I can't reach the list of groups right now. Please try again in a few minutes. If "
    "you want to talk to someone now, De Luisterlijn is there day and night: {phone}."
)
#: The error handler's apology: an exception reached the person's update.
FAILED = (
    "Sorry, something went wrong on my side. Please try again in a moment. If you want to "
    "talk to someone now, De Luisterlijn is there day and night: {phone}."
)
#: Words of an exception or a stack trace, which a person must never see.
EXCEPTION_WORDS = ("traceback", "error", "exception", "psycopg", "sqlalchemy", "operational",
                   "refused", "timeout", "httpx")


def fill_directory(database: Database) -> None:
    """The gazetteer's reference data and the demo directory, as ``make demo`` loads them."""
    with database.session() as session:
        load_reference_data(session)
        report = import_demo(session)
        assert report.ok, report.summary()


# ---------------------------------------------------------------------------- the bot
@dataclass
class Turn:
    """What the bot sent back for one update, and how long it took."""

    messages: list[SentMessage]
    seconds: float

    @property
    def text(self) -> str:
        """Everything the person read, as one text."""
        return "\n".join(m.plain_text for m in self.messages)

    def buttons(self) -> list[str]:
        """The callback data of every button of the turn's messages."""
        return [d or "" for m in self.messages for row in m.buttons for _, d in row]

    def with_buttons(self, prefix: str) -> SentMessage:
        """The (last) message with a button whose data starts with ``prefix``."""
        found = [m for m in self.messages
                 if any((d or "").startswith(prefix) for row in m.buttons for _, d in row)]
        assert found, f"no button {prefix!r} in {[str(m) for m in self.messages]}"
        return found[-1]

    def assert_kind(self) -> None:
        """Something was said, and nothing of it is an exception's text or the apology the
        error handler sends when an exception reached the person's update."""
        assert self.messages, "the bot said nothing"
        lowered = self.text.casefold()
        for word in EXCEPTION_WORDS:
            assert word not in lowered, f"{word!r} shown to a person: {self.text!r}"
        for language in ALL_LANGUAGES:
            assert said(language, FAILED) not in self.text, (
                f"an exception reached the person's update: {self.text!r}")


@dataclass
class FaultBot:
    """The real bot application, polling the fake Telegram; see the module docstring."""

    tg: FakeTelegram
    application: Application
    _done: dict[int, asyncio.Event] = field(default_factory=dict)
    _taken: set[tuple[int, int]] = field(default_factory=set)  # messages a turn has claimed

    def _event(self, update_id: int) -> asyncio.Event:
        return self._done.setdefault(update_id, asyncio.Event())

    async def _finished(self, update: object, _ctx: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update):
            self._event(update.update_id).set()

    async def _turn(self, user: FakeUser, sending: Any) -> Turn:
        mark = len(self.tg.sent(user))
        started = time.perf_counter()
        update = await sending
        async with asyncio.timeout(TURN_TIMEOUT):
            await self._event(update["update_id"]).wait()
        seconds = time.perf_counter() - started
        # Two turns of one person may run at once (a crisis message while an ordinary turn
        # waits): the one that finished first took its messages already.
        mine = [m for m in self.tg.sent(user)[mark:]
                if (m.chat_id, m.message_id) not in self._taken]
        self._taken.update((m.chat_id, m.message_id) for m in mine)
        return Turn(mine, seconds)

    async def say(self, user: FakeUser, text: str) -> Turn:
        """``user`` writes ``text``; what the bot answered once it has finished."""
        return await self._turn(user, self.tg.send_text(user, text))

    async def command(self, user: FakeUser, command: str) -> Turn:
        """``user`` sends ``/command``."""
        return await self._turn(user, self.tg.send_command(user, command))

    async def press(self, user: FakeUser, message: SentMessage, data: str) -> Turn:
        """``user`` taps the button ``data`` of ``message``."""
        return await self._turn(user, self.tg.press_button(user, message, data))

    def apologies(self, users: list[FakeUser]) -> list[str]:
        """The error handler's apologies (in any language) any of ``users`` received."""
        return [m.plain_text for u in users for m in self.tg.sent(u)
                if any(said(language, FAILED) in m.plain_text for language in ALL_LANGUAGES)]


def bot_settings(tg: FakeTelegram, **overrides: Any) -> Settings:
    """Settings of a bot behind ``tg`` (``overrides``: the NLU replicas, time-outs...)."""
    values: dict[str, Any] = {
        "telegram_token": tg.token,
        "telegram_api_base_url": tg.api_base_url,
        "telegram_bot_username": tg.bot_username,
        "pseudonym_secret": secrets.token_urlsafe(32),
        "encryption_key": generate_key(),
        "rasa_token": "",
        **overrides,
    }
    return Settings(**values)


@asynccontextmanager
async def running_bot(tg: FakeTelegram, settings: Settings,
                      database: Database) -> AsyncIterator[FaultBot]:
    """The application built for ``settings`` on ``database``, set up and long-polling ``tg``
    as ``run_polling`` would (its jobs running too), until the block ends."""
    application = build_application(AppContext(settings, database))
    bot = FaultBot(tg, application)
    application.add_handler(TypeHandler(Update, bot._finished), group=1)
    async with application:
        assert application.post_init is not None and application.post_shutdown is not None
        await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=5,
                                                allowed_updates=Update.ALL_TYPES)
        await application.start()
        try:
            yield bot
        finally:
            await application.updater.stop()
            await application.stop()
            await application.post_shutdown(application)


# ---------------------------------------------------------------------------- PostgreSQL
def _binary(name: str) -> str | None:
    found = shutil.which(name) or shutil.which(name, path="/usr/local/bin")
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def require_private_postgres() -> tuple[str, str]:
    """``initdb`` and ``pg_ctl``, or skip (fail under CI) when the machine lacks them."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    problem = None
    if not initdb or not pg_ctl:
        problem = "initdb/pg_ctl not found"
    elif os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            problem = "running as root and there is no 'postgres' user to run a cluster as"
    if problem is None:
        return initdb, pg_ctl  # type: ignore[return-value]
    message = f"a private PostgreSQL cluster cannot be started: {problem}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class PrivateCluster:
    """A PostgreSQL cluster of the test's own, in a temporary folder, on a free port."""

    folder: Path
    port: int
    pg_ctl: str
    run_as: tuple[str, ...]

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the bot's database in the cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/steunwijzer"

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.folder / "data"), *args],
                       check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.folder} -c max_connections=60")
        self._ctl("start", "-w", "-t", "90", "-l", str(self.folder / "server.log"),
                  "-o", options)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: open transactions are rolled back, sessions closed)."""
        self._ctl("stop", "-w", "-t", "90", "-m", mode)


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """``initdb`` a new cluster, start it with an empty ``steunwijzer`` database; stopped
    and removed afterwards. Never the shared server."""
    initdb, pg_ctl = require_private_postgres()
    run_as: tuple[str, ...] = ()
    folder = Path(tempfile.mkdtemp(prefix="steunwijzer-faults-pg-"))
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root.
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        run_as = ("runuser", "-u", "postgres", "--")
    try:
        subprocess.run([*run_as, initdb, "-D", str(folder / "data"), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True, timeout=180)
        cluster = PrivateCluster(folder, free_port(), pg_ctl, run_as)
        cluster.start()
        try:
            import psycopg

            dsn = f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres"
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("CREATE DATABASE steunwijzer")
            yield cluster
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):  # stopped already
                cluster.stop("immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
