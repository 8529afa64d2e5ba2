"""Logs and tracebacks (issue 13, finding 3; docs/security.md "Logs and tracebacks").

A citizen who provokes an error on purpose, or an operator who reads the logs, a backup of
them or the NLU service's log, must find no message text, pseudonym, sealed chat id, Telegram
id or SQL parameter there. Each path is provoked for real (a database that refuses a write, an
NLU service that answers nonsense, a forged button, a template that breaks on a request's
input, an uncaught exception) and everything logged is scanned: the captured records, standard
error and every file in the logs folder.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from aiohttp import web
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.channels.telegram_app import on_error
from bot.context import AppContext
from bot.conversation.nlu_client import NluClient
from bot.conversation.pipeline import Citizen, Pipeline
from bot.db.session import Database
from bot.dialogue import render
from bot.privacy.pseudonym import pseudonym_for
from bot.privacy.sealed import generate_key
from bot.runtime.logging_setup import (
    ChildOutput,
    RetainedFileHandler,
    configure_logging,
    prune_logs,
    redact,
    reset_logging,
)
from bot.settings import PROJECT_ROOT, Settings
from bot.vocabulary import ButtonIntent, Option

#: What a citizen typed: it must never reach a log.
SECRET = "ZEBRA-4471 mijn naam"
TELEGRAM_ID = 918273645
PSEUDONYM_SECRET = "log-redaction-test-secret"
NLU_TOKEN = "nlu-log-test-token"

_TOKEN_LIKE = re.compile(
    r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*\d)"
    r"[A-Za-z0-9_-]{32,}"
)
_HEX32 = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{32}(?![0-9A-Za-z])")


@dataclass
class Logs:
    """Everything this test's process logged: records, standard streams and log files."""

    data_dir: Path
    settings: Settings
    caplog: pytest.LogCaptureFixture
    capfd: pytest.CaptureFixture[str]

    def everything(self) -> str:
        """All captured output, as an operator (or a thief of a backup) could read it."""
        for handler in logging.getLogger().handlers:
            handler.flush()
        out, err = self.capfd.readouterr()
        files = sorted((self.data_dir / "logs").glob("*"))
        return "\n".join([
            self.caplog.text,
            *(record.getMessage() for record in self.caplog.records),
            *(record.exc_text or "" for record in self.caplog.records),
            out,
            err,
            *(path.read_text(encoding="utf-8", errors="replace") for path in files),
        ])

    def assert_clean(self, *secrets: str) -> str:
        """None of ``secrets``, and nothing shaped like a pseudonym or a sealed token, was
        logged; returns the output for further checks."""
        output = self.everything()
        for secret in (SECRET, "ZEBRA", "mijn naam", str(TELEGRAM_ID), NLU_TOKEN, *secrets):
            assert secret not in output, f"{secret!r} was logged:\n{_around(output, secret)}"
        assert not _HEX32.search(output), output
        assert not _TOKEN_LIKE.search(output), output
        assert "[parameters:" not in output or "[parameters: withheld]" in output
        return output


def _around(output: str, secret: str) -> str:
    at = output.find(secret)
    return output[max(0, at - 400): at + 200]


@pytest.fixture
def logs(tmp_path: Path, capfd: pytest.CaptureFixture[str],
         caplog: pytest.LogCaptureFixture) -> Iterator[Logs]:
    """The process's logging as the bot sets it up, in a temporary data folder."""
    settings = Settings(data_dir=tmp_path / "data", pseudonym_secret=PSEUDONYM_SECRET,
                        encryption_key=generate_key())
    configure_logging(settings, "bot")
    caplog.set_level(logging.DEBUG)  # stricter than production's INFO
    try:
        yield Logs(settings.data_dir, settings, caplog, capfd)
    finally:
        reset_logging()


def _context(logs: Logs, database: Database) -> AppContext:
    settings = logs.settings.model_copy(update={"database_url": database.url})
    return AppContext(settings, database)


def _citizen(context: AppContext) -> Citizen:
    """A citizen as the Telegram adapter makes one: pseudonym and sealed chat id."""
    assert context.sealer is not None
    return Citizen(
        pseudonym=pseudonym_for(TELEGRAM_ID, PSEUDONYM_SECRET),
        chat_token=context.sealer.seal(TELEGRAM_ID, "chat"),
        telegram_language="nl",
    )


# --------------------------------------------------------------------------- the paths


async def test_a_database_error_logs_neither_the_question_nor_the_pseudonym_nor_the_token(
    logs: Logs, sqlite_database: Database
) -> None:
    """A person asks a coordinator a question; storing it fails. SQLAlchemy's error carries
    the INSERT's parameters (the text, the pseudonym, the sealed chat id) and the engine logs
    it with its traceback."""
    context = _context(logs, sqlite_database)
    citizen = _citizen(context)
    pipeline = Pipeline(context, None)
    await pipeline.handle_button(citizen, ButtonIntent.CHOOSE_OPTION, Option.HUMAN)
    draft = await pipeline.handle_text(citizen, f"{SECRET} en ik zoek iemand om mee te praten")
    assert any("ZEBRA-4471" in reply.text for reply in draft.replies)  # what would be stored
    with sqlite_database.engine.begin() as connection:
        # A database that refuses the write (a full disk, a broken replica, a bad migration).
        connection.execute(text(
            "CREATE TRIGGER refuse BEFORE INSERT ON help_request "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ))

    result = await pipeline.handle_button(citizen, ButtonIntent.CHOOSE_OPTION,
                                          Option.SEND_QUESTION)

    assert [r.text for r in result.replies] == [r.text for r in render.database_down("nl")]
    output = logs.assert_clean(citizen.pseudonym, citizen.chat_token or "")
    # Still useful: what happened, the exception types and where.
    assert "database unavailable while answering" in output
    assert "sqlalchemy.exc.IntegrityError (message withheld)" in output
    assert "sqlite3.IntegrityError [SQLITE_CONSTRAINT_TRIGGER] (message withheld)" in output
    assert 'File "' in output and "relay.py" in output


def test_every_engine_hides_sql_parameters(sqlite_database: Database) -> None:
    """The exception itself (shown anywhere: a log, a crash, an error page) has no values."""
    with pytest.raises(IntegrityError) as caught, sqlite_database.session() as session:
        session.execute(text("CREATE TABLE t (v TEXT UNIQUE)"))
        session.execute(text("INSERT INTO t VALUES (:v)"), {"v": SECRET})
        session.execute(text("INSERT INTO t VALUES (:v)"), {"v": SECRET})
    assert SECRET not in str(caught.value)
    assert sqlite_database.engine.hide_parameters
    # No module makes an engine of its own (every engine comes from make_engine).
    makers = [path for path in (PROJECT_ROOT / "bot").rglob("*.py")
              if "create_engine(" in path.read_text(encoding="utf-8")]
    assert makers == [PROJECT_ROOT / "bot" / "db" / "session.py"]


@dataclass
class StubNlu:
    """An NLU service that answers nonsense: the person's words in the wrong fields, a body
    that is no JSON, or an error page that repeats the words (as Rasa's does)."""

    mode: str = "confidence"
    url: str = ""

    async def parse(self, request: web.Request) -> web.Response:
        words = (await request.json())["text"]
        if self.mode == "confidence":
            return web.json_response({"intent": {"name": "greet", "confidence": words}})
        if self.mode == "ranking":
            return web.json_response({"intent": {"name": "greet"},
                                      "intent_ranking": [{words: 1}]})
        if self.mode == "error":
            return web.json_response({"message": f"An unexpected error occurred. Error: "
                                                 f"{words}"}, status=500)
        return web.Response(text=f"{{{words}", content_type="application/json")

    @asynccontextmanager
    async def running(self) -> AsyncIterator[StubNlu]:
        """Serve on a free loopback port."""
        app = web.Application()
        app.router.add_post("/model/parse", self.parse)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        try:
            yield self
        finally:
            await runner.cleanup()


@pytest.mark.parametrize("mode", ["confidence", "ranking", "error", "not-json"])
async def test_a_malformed_nlu_answer_logs_only_its_type(
    logs: Logs, sqlite_database: Database, mode: str
) -> None:
    """The whole message and each of its sentences go to the NLU service; every answer is
    unreadable. The person gets the degraded answer; the log says which replica failed how."""
    context = _context(logs, sqlite_database)
    citizen = _citizen(context)
    async with StubNlu(mode).running() as stub:
        nlu = NluClient(stub.url, NLU_TOKEN, timeout=10, retry_after=0)
        try:
            pipeline = Pipeline(context, nlu)
            result = await pipeline.handle_text(
                citizen, f"{SECRET} is Fatima. Ik voel me alleen. Is er een groep?")
        finally:
            await nlu.close()
    assert result.degraded
    output = logs.assert_clean(citizen.pseudonym, "Fatima", "alleen")
    assert "NLU replica 0 unavailable" in output


async def test_a_forged_button_that_breaks_the_code_logs_only_type_and_place(
    logs: Logs, sqlite_database: Database
) -> None:
    """Callback ``o:fbg:x:²`` as a modified client can send it: "²".isdigit() is true and
    int("²") fails. What the error handler logs is the type and our deepest frame."""
    context = _context(logs, sqlite_database)
    citizen = _citizen(context)
    pipeline = Pipeline(context, None)
    try:
        await pipeline.handle_button(citizen, ButtonIntent.CHOOSE_OPTION, "fbg:x:²²")
    except ValueError as error:  # until the callback is validated, it fails here
        await on_error(None, SimpleNamespace(error=error))  # type: ignore[arg-type]
    # Whatever a handler raises with a person's input in its message:
    try:
        int(f"{SECRET} ²")
    except ValueError as error:
        await on_error(None, SimpleNamespace(error=error))  # type: ignore[arg-type]
    output = logs.assert_clean(citizen.pseudonym, "²")
    assert "update or job failed: ValueError at" in output


def test_a_template_error_in_the_dashboard_logs_no_request_input(
    logs: Logs, sqlite_database: Database
) -> None:
    """A template that breaks on what a request carries: Jinja's message repeats it, and the
    server logs the exception with its traceback."""
    from bot.web.server import BackgroundServer

    context = _context(logs, sqlite_database)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    server = BackgroundServer(context, sock=sock)
    templates = server.server.config.app.state.templates
    broken = "{{ {}[request.query_params.get('q', '')].anything }}"
    templates.loader = ChoiceLoader([DictLoader({"login.html": broken}), templates.loader])
    server.start()
    try:
        response = httpx.get(f"http://127.0.0.1:{sock.getsockname()[1]}/login",
                             params={"q": f"{SECRET} {TELEGRAM_ID}"}, timeout=10)
    finally:
        server.stop()
    assert response.status_code == 500
    assert SECRET not in response.text
    output = logs.assert_clean()
    assert "jinja2.exceptions.UndefinedError (message withheld)" in output
    assert (logs.data_dir / "logs" / "bot.log").read_text().count("UndefinedError") >= 1


def test_an_uncaught_exception_is_logged_without_its_message(logs: Logs) -> None:
    """A crash (main thread or any other) ends in the log without the exception's text; the
    console says where the details are."""
    try:
        raise KeyError(f"{SECRET} {TELEGRAM_ID}")
    except KeyError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    output = logs.assert_clean()
    assert "stopped by an uncaught KeyError in the main thread" in output
    assert "KeyError (message withheld)" in output
    assert "steunwijzer: stopped by an unexpected KeyError (details in" in output


def test_exceptions_given_as_arguments_and_chained_ones_lose_their_messages(
    logs: Logs,
) -> None:
    """``log.warning("…: %s", exc)`` and ``raise … from`` chains: types, never messages."""
    log = logging.getLogger("bot.test")
    try:
        try:
            int(SECRET)
        except ValueError as inner:
            raise LookupError(SECRET) from inner
    except LookupError as error:
        log.warning("could not do it: %s", error)
        log.exception("failed")
        log.error(error)
    output = logs.assert_clean()
    assert "could not do it: LookupError (message withheld)" in output
    assert "ValueError (message withheld)" in output
    assert "The above exception was the direct cause" in output


# --------------------------------------------------------------------------- redaction


@pytest.mark.parametrize(
    ("line", "leak"),
    [
        (f"user {TELEGRAM_ID} pressed", str(TELEGRAM_ID)),
        ("chat -1001234567890 joined", "1001234567890"),
        (f"state of {pseudonym_for(1, 's')} saved", pseudonym_for(1, "s")),
        ("[parameters: ('ZEBRA-4471 mijn naam', 'a1b2')]", "ZEBRA"),
        ("write to fatima.el.amrani@example.nl", "fatima.el.amrani"),
        ("call 06-12345678 or +31 6 1234 5678", "12345678"),
        ("bel ۰۶۱۲۳۴۵۶۷۸ aub", "۱۲۳۴۵۶۷۸"),
        ("اتصل ٠٦ ١٢ ٣٤ ٥٦ ٧٨", "٣٤ ٥٦"),
        ("call (020) 123 4567", "123 4567"),
        ("GET /model/parse?token=s3cr3t-nlu&x=1", "s3cr3t-nlu"),
        ("https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
         "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
    ],
)
def test_redaction_removes_identifiers(line: str, leak: str) -> None:
    """Each kind of identifier the filter knows."""
    assert leak not in redact(line)


def test_redaction_removes_sealed_tokens() -> None:
    """Sealed chat ids, as bot/privacy/sealed.py makes them."""
    from bot.privacy.sealed import ChatIdSealer

    sealer = ChatIdSealer(generate_key())
    for chat_id in (1, TELEGRAM_ID, -1001234567890):
        token = sealer.seal(chat_id, "request:AB-CDE")
        assert token not in redact(f"token {token} opened"), token


@pytest.mark.parametrize(
    "line",
    [
        "retention: 3 request(s) expired, 0 invitation(s) lapsed",
        "NLU replica 0 unavailable (ConnectError)",
        "Dashboard: http://127.0.0.1:8000/",
        "meeting on 2026-12-04 at 19:30 in GM0855",
        "request AB-CDE answered in 0.1234567 s",
        "group 3f2a9c1e-8b7d-4c6e-9a1b-2c3d4e5f6a7b opened",
        'File "/work/main/bot/dialogue/engine.py", line 113, in respond',
        "update or job failed: ValueError at /work/main/bot/requests/followup.py:92",
    ],
)
def test_redaction_keeps_what_makes_logs_useful(line: str) -> None:
    """Counts, codes, dates, times, ports, group ids and traceback frames stay."""
    assert redact(line) == line


def test_the_nlu_services_output_loses_exception_messages_and_error_texts() -> None:
    """Rasa's own output, cleaned line by line before it is written."""
    cleaner = ChildOutput()
    lines = [
        "2026-12-04 10:00:00 INFO     root  - Starting Rasa server on http://127.0.0.1:5005",
        "2026-12-04 10:00:01 ERROR    rasa.server  - An unexpected error occurred. Error: "
        f"{SECRET}",
        "Traceback (most recent call last):",
        '  File "/x/rasa/server.py", line 1310, in parse',
        "    parsed_data = await app.ctx.agent.parse_message(data.get('text'))",
        f"ValueError: could not read '{SECRET}'",
        f"and the rest of it: {SECRET}",
        "2026-12-04 10:00:02 INFO     root  - next",
    ]
    cleaned = [line for line in map(cleaner.line, lines) if line is not None]
    assert SECRET not in "\n".join(cleaned)
    assert cleaned == [
        lines[0],
        "2026-12-04 10:00:01 ERROR    rasa.server  - An unexpected error occurred. Error: "
        "(message withheld)",
        *lines[2:5],
        "ValueError (message withheld)",
        lines[7],
    ]


# --------------------------------------------------------------------------- retention


class Clock:
    """A settable clock (seconds since the epoch) for the log files."""

    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, **delta: float) -> None:
        """Let time pass."""
        self.now += timedelta(**delta).total_seconds()


def _write(handler: RetainedFileHandler, clock: Clock, message: str) -> None:
    handler.handle(logging.LogRecord("bot.test", logging.INFO, __file__, 0, message, None, None))
    os.utime(handler.path, (clock.now, clock.now))  # the file's mtime follows the fake clock


def test_log_files_rotate_daily_and_no_line_outlives_the_maximum_age(tmp_path: Path) -> None:
    """Every day starts a new file; a rotated file goes once its day is more than
    log_max_age_days ago; the size limit starts a new file too."""
    clock = Clock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    log_dir = tmp_path / "logs"
    handler = RetainedFileHandler(log_dir / "bot.log", max_age_days=3, max_bytes=10_000,
                                  clock=clock)
    handler.setFormatter(logging.Formatter("%(message)s"))
    try:
        for day in range(1, 8):  # December 1st to 7th, one line at 09:00 and one at 23:00
            _write(handler, clock, f"morning of day {day}")
            clock.advance(hours=14)
            _write(handler, clock, f"evening of day {day}")
            clock.advance(hours=10)
        _write(handler, clock, "morning of day 8")
    finally:
        handler.close()
    kept = "".join(path.read_text() for path in log_dir.iterdir())
    # On December 8th, 09:00, three days back is December 5th, 09:00: the file of the 5th
    # began before that, so it went with the older ones; the 6th and 7th stay.
    for day in (1, 2, 3, 4, 5):
        assert f"of day {day}\n" not in kept
    for day in (6, 7):
        assert f"morning of day {day}" in kept and f"evening of day {day}" in kept
    assert "morning of day 8" in kept
    assert sorted(path.name for path in log_dir.iterdir()) == [
        "bot.log", "bot.log.20261206T230000", "bot.log.20261207T230000"]

    big = RetainedFileHandler(log_dir / "web.log", max_age_days=3, max_bytes=200, clock=clock)
    big.setFormatter(logging.Formatter("%(message)s"))
    try:
        for number in range(20):
            _write(big, clock, f"line {number:02d} " + "x" * 40)
    finally:
        big.close()
    pieces = sorted(log_dir.glob("web.log*"))
    assert len(pieces) > 3 and all(path.stat().st_size <= 200 for path in pieces)


def test_old_files_of_any_process_are_deleted_at_start(tmp_path: Path) -> None:
    """A process that starts deletes what others (or an earlier version) left too long ago,
    the NLU service's log included; its own file from yesterday is rotated, not appended to."""
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    ages = {"rasa.log": 40, "rasa.log.1": 40, "steunwijzer.log": 30, "web.log.1": 3,
            "bot.log": 1}
    for name, days in ages.items():
        path = log_dir / name
        path.write_text(f"{name}\n")
        stamp = (now - timedelta(days=days)).timestamp()
        os.utime(path, (stamp, stamp))
    settings = Settings(data_dir=tmp_path, log_max_age_days=14)
    try:
        setup = configure_logging(settings, "bot", console=False, clock=now.timestamp)
        assert setup.log_file == log_dir / "bot.log"
    finally:
        reset_logging()
    yesterday = f"bot.log.{now - timedelta(days=1):%Y%m%dT%H%M%S}"
    assert sorted(path.name for path in log_dir.iterdir()) == ["bot.log", yesterday, "web.log.1"]
    assert prune_logs(log_dir, 2, now.timestamp()) == [log_dir / "web.log.1"]


def test_every_command_logs_through_the_one_set_up(tmp_path: Path) -> None:
    """The CLI sets it up before any command (here a migration) runs: the command's file in
    the data folder, the record factory, the settings documented."""
    from click.testing import CliRunner

    from bot.cli import main

    env = {"STEUNWIJZER_DATA_DIR": str(tmp_path),
           "STEUNWIJZER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    try:
        result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
        assert result.exit_code == 0, result.output
        assert any(isinstance(handler, RetainedFileHandler)
                   and handler.path == tmp_path / "logs" / "cli.log"
                   for handler in logging.getLogger().handlers)
        record = logging.getLogger("bot.test").makeRecord(
            "bot.test", logging.INFO, __file__, 0, "user %s", (TELEGRAM_ID,), None)
        assert record.getMessage() == "user <id>"
    finally:
        reset_logging()
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("log_max_age_days", "log_max_file_mb"):
        assert name in Settings.model_fields
        assert f"STEUNWIJZER_{name.upper()}" in readme


# --------------------------------------------------------------------------- the NLU service


def _fake_rasa(tmp_path: Path) -> dict[str, str]:
    """A stand-in for the Rasa environment that prints what run_rasa.sh passes it."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    rasa = venv / "bin" / "rasa"
    rasa.write_text('#!/usr/bin/env bash\n'
                    'echo "LOG_LEVEL=$LOG_LEVEL LOG_LEVEL_LIBRARIES=$LOG_LEVEL_LIBRARIES"\n')
    rasa.chmod(rasa.stat().st_mode | stat.S_IEXEC)
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    return {**os.environ, "RASA_VENV": str(venv), "RASA_MODEL": str(model),
            "STEUNWIJZER_RASA_TOKEN": "t"}


@pytest.mark.parametrize(("level", "libraries"), [("DEBUG", "INFO"), ("debug", "DEBUG"),
                                                  ("NOTSET", "")])
def test_the_nlu_service_never_logs_below_info(tmp_path: Path, level: str,
                                               libraries: str) -> None:
    """At DEBUG Rasa logs every text it parses, at INFO sanic logs every URL (with the
    token): a LOG_LEVEL meant for something else must not reach it."""
    env = {**_fake_rasa(tmp_path), "LOG_LEVEL": level, "LOG_LEVEL_LIBRARIES": libraries}
    run = subprocess.run(["bash", str(PROJECT_ROOT / "scripts" / "run_rasa.sh")], env=env,
                         capture_output=True, text=True, timeout=30, check=True)
    assert "LOG_LEVEL=INFO LOG_LEVEL_LIBRARIES=WARNING" in run.stdout


@pytest.mark.parametrize("flag", ["--debug", "-vv", "--verbose", "--log-file=/tmp/rasa.log"])
def test_the_nlu_service_refuses_flags_that_would_log_text_elsewhere(tmp_path: Path,
                                                                     flag: str) -> None:
    """Flags that lower Rasa's log level or move its log out of the rotation."""
    run = subprocess.run(["bash", str(PROJECT_ROOT / "scripts" / "run_rasa.sh"), flag],
                         env=_fake_rasa(tmp_path), capture_output=True, text=True, timeout=30)
    assert run.returncode != 0 and "refusing" in run.stderr


@pytest.mark.rasa
@pytest.mark.slow
def test_the_real_nlu_service_logs_no_text_even_when_asked_for_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real Rasa, started as `steunwijzer run` starts it, with LOG_LEVEL=DEBUG in the
    environment: texts (good and malformed requests) leave no trace in its log, and the log
    is one of the bot's rotated, expiring files."""
    from rasa_probe import require_rasa_env

    from bot.runtime.processes import MODEL, setup_rasa, start_rasa, stop, wait_until

    require_rasa_env()
    setup_rasa()
    assert MODEL.exists()
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("LOG_LEVEL_LIBRARIES", "DEBUG")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(rasa_url=f"http://127.0.0.1:{port}", rasa_token=NLU_TOKEN,
                        data_dir=tmp_path)
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    stale = log_dir / "rasa.log.20200101T000000"
    stale.write_text("old\n")
    os.utime(stale, (0, 0))
    rasa = start_rasa(settings, log_dir)
    try:
        wait_until(f"{settings.nlu_urls[0]}/status", rasa, 180, {"token": NLU_TOKEN})
        parse = f"{settings.nlu_urls[0]}/model/parse"
        said = f"{SECRET} is Fatima, mijn nummer is 0612345678"
        answer = httpx.post(parse, json={"text": said}, params={"token": NLU_TOKEN},
                            timeout=30)
        assert answer.is_success
        for malformed in ({"text": [said]}, {"text": {said: said}}):
            httpx.post(parse, json=malformed, params={"token": NLU_TOKEN}, timeout=30)
    finally:
        stop([rasa])
    log = rasa.log_path.read_text(encoding="utf-8")
    assert "Starting Rasa server" in log
    for secret in (SECRET, "ZEBRA", "Fatima", "0612345678", NLU_TOKEN):
        assert secret not in log, _around(log, secret)
    assert not stale.exists()
