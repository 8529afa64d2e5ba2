"""One logging setup for every process: the bot, the dashboard, the CLI and its jobs, and the
output of the NLU service (Rasa) that ``steunwijzer run`` starts.

privacy.md: no log line and no traceback carries message text, a pseudonym, a sealed chat id,
a Telegram id or SQL parameters. What any module (ours or a library's) logs passes three
layers, so that this holds without every call site getting it right:

* **Records are redacted when they are made** (a log record factory, and the same filter on
  every handler for records made elsewhere), so every handler sees the redacted record: our
  files and console, uvicorn's, pytest's. Exceptions passed as arguments become their type
  name; what is left is cleaned of Telegram ids (long digit runs), pseudonyms (32 hex
  characters), sealed tokens (long url-safe base64), e-mail addresses, phone numbers, bot
  tokens, ``token=`` values and SQLAlchemy's ``[parameters: …]`` dumps.
* **Tracebacks keep their frames but lose every exception message.** A message can carry
  what a person typed (``int("²")``, a ``KeyError`` on a text key, a template's undefined
  name, a database driver's ``DETAIL: Key (…)=(…)``), and which exception came from a
  citizen's input cannot be told reliably, so no message is logged on any path. The type,
  the file, line and code of every frame, and codes that carry no data (errno, SQLSTATE,
  SQLite's error name, an HTTP status) stay.
* **Files rotate and expire**: one file per process under ``<data folder>/logs``, started
  afresh each day (UTC) and when it reaches ``log_max_file_mb``; a rotated file is deleted
  once the day its lines were written is more than ``log_max_age_days`` ago.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import subprocess
import sys
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from logging.handlers import BaseRotatingHandler
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from bot.settings import Settings

log = logging.getLogger("steunwijzer")

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
WITHHELD = "(message withheld)"

#: Libraries that log what must not be kept (httpx: every URL, and Telegram's and the NLU
#: service's carry a token) or too much to be useful; warnings still come through.
QUIET_LOGGERS = (
    "httpx",
    "httpcore",
    "telegram.ext",
    "apscheduler",
    "alembic",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "uvicorn.access",
    "aiohttp.access",
)

# ---------------------------------------------------------------------------- redaction

_ID_CHARS = r"A-Za-z0-9_\-"


def _pseudonym_or_hex(match: re.Match[str]) -> str:
    return "<pseudonym>" if len(match[0]) == 32 else "<hex>"


_DATE_START = re.compile(r"\(?\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


def _phone(match: re.Match[str]) -> str:
    candidate = match[0]
    digits = sum(ch.isdigit() for ch in candidate)
    # A phone number starts with + or 0 (a trunk or international prefix; a zero in any
    # script: ۰, ٠) and has at least nine digits; a date (day-month-year) with the hour after
    # it is not one.
    first = candidate.lstrip("(")[:1]
    looks_like = first == "+" or unicodedata.decimal(first, -1) == 0
    if digits >= 9 and looks_like and not _DATE_START.match(candidate):
        return "<phone>"
    return candidate


#: (pattern, replacement) in the order they apply; earlier ones protect later ones' input.
_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    # SQLAlchemy's dump of bound values (one line, the values' repr), whatever the engine's
    # hide_parameters says.
    (re.compile(r"\[parameters: [^\n]*"), "[parameters: withheld]"),
    # A bot token (123456:ABC-...) and any token=/secret=/key=/password= value in a URL.
    (re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}"), "<bot-token>"),
    (re.compile(r"(?i)\b(token|secret|key|password|auth)=[^&\s\"'<>]+"), r"\1=<secret>"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    # Pseudonyms: 32 lower-case hex characters (bot/privacy/pseudonym.py); longer hex runs
    # (digests, tokens) go too.
    (re.compile(rf"(?<![{_ID_CHARS}])[0-9a-f]{{32,}}(?![{_ID_CHARS}])"), _pseudonym_or_hex),
    # Sealed chat ids: url-safe base64 of nonce + ciphertext + tag (bot/privacy/sealed.py;
    # 40 characters or more, behind a key id), here any run of 32 or more with upper- and
    # lower-case letters (a snake_case name in a traceback has no capitals).
    (
        re.compile(
            rf"(?<![{_ID_CHARS}])(?=[{_ID_CHARS}]*[A-Z])(?=[{_ID_CHARS}]*[a-z])"
            rf"[{_ID_CHARS}]{{32,}}={{0,2}}(?![{_ID_CHARS}=])"
        ),
        "<sealed>",
    ),
    # Phone numbers in any script's digits, with spaces, dots, dashes or brackets.
    (re.compile(r"(?<![\w+])(?:\+|\(?)\d[\d ()./-]{6,}\d(?!\w)"), _phone),
    # Telegram user and chat ids: six digits or more (not the decimals of a number).
    (re.compile(r"(?<!\d)(?<!\d\.)-?\d{6,}(?!\d)"), "<id>"),
)


def redact(text: str) -> str:
    """``text`` without identifiers, tokens, contact details or SQL parameters."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


# ---------------------------------------------------------------------------- tracebacks


def describe_exception(exc: BaseException) -> str:
    """The exception's type and the codes it carries that hold no data, never its message."""
    kind = type(exc)
    name = kind.__qualname__
    if kind.__module__ not in ("builtins", "__main__"):
        name = f"{kind.__module__}.{name}"
    codes = []
    number = getattr(exc, "errno", None)
    if isinstance(number, int):
        codes.append(errno.errorcode.get(number, str(number)))
    for attribute in ("sqlstate", "pgcode", "sqlite_errorname"):
        value = getattr(exc, attribute, None)
        if isinstance(value, str) and value.isascii() and len(value) <= 32:
            codes.append(value)
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):
        codes.append(f"HTTP {status}")
    details = f" [{', '.join(codes)}]" if codes else ""
    return f"{name}{details} {WITHHELD}"


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """The exceptions as Python prints them, oldest first, each with the text that leads
    to the next one."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    return list(reversed(chain))


def format_exception(exc: BaseException, *, _depth: int = 0) -> str:
    """A traceback of ``exc`` (with its causes) in Python's layout, without any exception
    message or note: frames and types only."""
    parts: list[str] = []
    for error, link in _chain(exc):
        if error.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(error.__traceback__))
        parts.append(describe_exception(error) + "\n")
        if isinstance(error, BaseExceptionGroup) and _depth < 5:
            for number, inner in enumerate(error.exceptions, start=1):
                nested = format_exception(inner, _depth=_depth + 1)
                parts.append(f"  +-- sub-exception {number}:\n")
                parts.extend(f"  | {line}\n" for line in nested.splitlines())
        parts.append(link)
    return redact("".join(parts))


# ---------------------------------------------------------------------------- records

_REDACTED = "_steunwijzer_redacted"


def _safe_value(value: object) -> object:
    """An argument as it may be logged: an exception becomes its type (its message could
    carry what a person typed); strings are redacted; anything else stays."""
    if isinstance(value, BaseException):
        return describe_exception(value)
    if isinstance(value, str):
        return redact(value)
    return value


def _safe_args(args: Any) -> Any:
    if isinstance(args, Mapping):
        return {key: _safe_value(value) for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(_safe_value(value) for value in args)
    return args


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact ``record`` in place (once): message, arguments, traceback and stack."""
    if getattr(record, _REDACTED, False):
        return record
    setattr(record, _REDACTED, True)
    if isinstance(record.msg, BaseException):
        record.msg = describe_exception(record.msg)
    record.args = _safe_args(record.args)
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: the message without its arguments
        message = f"{record.msg} (arguments withheld: they did not fit the message)"
        record.args = ()
    clean = redact(message)
    if clean != message or not isinstance(record.msg, str):
        # What an argument turned into needed redacting (an id in an object's repr, say):
        # keep the redacted text only.
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = format_exception(record.exc_info[1])
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    # Formatters print exc_text when it is set; without exc_info none of them (uvicorn's,
    # pytest's, a library's) can format the exception again, with its message.
    record.exc_info = None
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class Redactor(logging.Filter):
    """The redaction as a handler filter, for records not made by the record factory (a
    child process's output, ``logging.makeLogRecord``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record``; never drops it."""
        redact_record(record)
        return True


def _redacting_factory(
    inner: Callable[..., logging.LogRecord],
) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(inner(*args, **kwargs))

    factory.inner = inner  # type: ignore[attr-defined]
    return factory


# ---------------------------------------------------------------------------- files


def _day(timestamp: float) -> datetime:
    """The start (UTC midnight) of the day ``timestamp`` falls on."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def prune_logs(log_dir: Path, max_age_days: int, now: float | None = None) -> list[Path]:
    """Delete log files (rotated ones, and files no process has written to since) whose
    lines were written on a day more than ``max_age_days`` ago; return what was deleted.

    Every file holds the lines of one day at most (files rotate at midnight UTC), so the
    day of its last change is the day of all its lines."""
    now = time.time() if now is None else now
    cutoff = datetime.fromtimestamp(now, UTC) - timedelta(days=max_age_days)
    deleted = []
    if not log_dir.is_dir():
        return deleted
    for path in log_dir.iterdir():
        if ".log" not in path.name or not path.is_file():
            continue
        try:
            if _day(path.stat().st_mtime) < cutoff:
                path.unlink()
                deleted.append(path)
        except FileNotFoundError:
            continue  # another process pruned it first
    return deleted


def _report_handler_error(record: logging.LogRecord) -> None:
    """What ``logging.Handler.handleError`` does, without its traceback: that one shows the
    exception being handled when the line was logged (a database error with its parameters,
    say), with its message."""
    if logging.raiseExceptions and sys.stderr is not None:
        kind = sys.exc_info()[0]
        name = kind.__name__ if kind is not None else "an error"
        with contextlib.suppress(Exception):
            sys.stderr.write(f"steunwijzer: a log line of {record.name} was lost ({name})\n")


class ConsoleHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Standard error as it is when a line is written (not when the handler was made), like
    ``logging.lastResort``: whoever replaced ``sys.stderr`` since still gets the lines."""

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(Redactor())

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        """The current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass  # always sys.stderr

    def handleError(self, record: logging.LogRecord) -> None:
        """Report a failed write without a traceback."""
        _report_handler_error(record)


class RetainedFileHandler(BaseRotatingHandler):
    """A log file that starts afresh at midnight (UTC) and at ``max_bytes``; rotated files
    are named ``<file>.<UTC time>`` and deleted by :func:`prune_logs` after ``max_age_days``.

    Several processes may share the logs folder: a file deleted or rotated by another one is
    reopened (as ``logging.handlers.WatchedFileHandler`` does)."""

    def __init__(
        self,
        path: Path,
        max_age_days: int,
        max_bytes: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.max_age_days = max_age_days
        self.max_bytes = max_bytes
        self.clock = clock
        super().__init__(str(path), "a", encoding="utf-8", delay=False)
        self.addFilter(Redactor())
        self._identity = self._stat_identity()
        # A file left by an earlier run belongs to the day it was last written on.
        written = path.stat().st_mtime if path.stat().st_size else clock()
        self._day = _day(written)
        self._next_prune = 0.0
        if self._day != _day(clock()):
            self.doRollover()
        else:
            self._prune()

    @property
    def path(self) -> Path:
        """The file being written."""
        return Path(self.baseFilename)

    def _stat_identity(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.baseFilename)
        except FileNotFoundError:
            return None
        return stat.st_dev, stat.st_ino

    def _prune(self) -> None:
        now = self.clock()
        prune_logs(self.path.parent, self.max_age_days, now)
        self._next_prune = now + 3600  # at most hourly, on the next line after that

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        """A new day, or the next line would pass ``max_bytes``."""
        if self._identity != self._stat_identity():
            # Deleted or rotated by another process: write to a fresh file of that name.
            if self.stream is not None:
                self.stream.close()
            self.stream = self._open()
            self._identity = self._stat_identity()
        now = self.clock()
        if now >= self._next_prune:
            self._prune()
        if _day(now) != self._day:
            return True
        if self.max_bytes and self.stream is not None:
            size = self.stream.tell()
            line = f"{self.format(record)}\n".encode()
            return size > 0 and size + len(line) > self.max_bytes
        return False

    def handleError(self, record: logging.LogRecord) -> None:
        """Report a failed write without a traceback."""
        _report_handler_error(record)

    def doRollover(self) -> None:
        """Rename the current file after the time of its last line (``bot.log.<UTC time>``);
        prune what is too old."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        with contextlib.suppress(FileNotFoundError):  # another process rotated it first
            written = self.path.stat()
            if written.st_size:
                stamp = datetime.fromtimestamp(written.st_mtime, UTC).strftime("%Y%m%dT%H%M%S")
                target = self.path.with_name(f"{self.path.name}.{stamp}")
                suffix = 1
                while target.exists():
                    target = self.path.with_name(f"{self.path.name}.{stamp}-{suffix}")
                    suffix += 1
                os.replace(self.path, target)
                # The rotated file keeps the time of its last line: prune_logs reads its day.
                os.utime(target, (written.st_mtime, written.st_mtime))
        self.stream = self._open()
        self._identity = self._stat_identity()
        self._day = _day(self.clock())
        self._prune()


def file_handler(
    settings: Settings,
    name: str,
    *,
    log_dir: Path | None = None,
    formatter: logging.Formatter | None = None,
    clock: Callable[[], float] = time.time,
) -> RetainedFileHandler:
    """The redacting, rotating file ``<log_dir>/<name>.log`` (default log_dir:
    ``<data folder>/logs``), with the settings' maximum age and size."""
    handler = RetainedFileHandler(
        (log_dir or settings.data_dir / "logs") / f"{name}.log",
        settings.log_max_age_days,
        settings.log_max_file_mb * 1024 * 1024,
        clock,
    )
    handler.setFormatter(formatter or logging.Formatter(FORMAT))
    return handler


# ---------------------------------------------------------------------------- child output

_NEW_RECORD = re.compile(r"^\[?\d{4}-\d{2}-\d{2}[ T]")
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*)(?::|$)")
_RASA_ERROR = re.compile(r"(An unexpected error occurred\. Error:).*")


class ChildOutput:
    """Cleans another program's output (the NLU service's) line by line: a traceback keeps
    its frames, its exception lines lose their message (and the lines that continue it),
    and Rasa's "An unexpected error occurred. Error: …" loses the error's text."""

    def __init__(self) -> None:
        self._in_traceback = False
        self._withholding = False

    def line(self, text: str) -> str | None:
        """The cleaned ``text``, or ``None`` when the line is left out."""
        if text.startswith("Traceback (most recent call last):"):
            self._in_traceback, self._withholding = True, False
            return text
        if text.startswith(("The above exception", "During handling of the above")):
            self._withholding = False
            return text
        if self._in_traceback:
            if text.startswith((" ", "\t")):
                return text
            self._in_traceback = False
            if _NEW_RECORD.match(text):  # a traceback cut short: the next record
                return _RASA_ERROR.sub(rf"\1 {WITHHELD}", text)
            self._withholding = True
            match = _EXCEPTION_LINE.match(text)
            return f"{match[1]} {WITHHELD}" if match else WITHHELD
        if self._withholding:
            if not _NEW_RECORD.match(text):
                return None  # the rest of a multi-line exception message
            self._withholding = False
        return _RASA_ERROR.sub(rf"\1 {WITHHELD}", text)


class LoggedProcess(subprocess.Popen):  # type: ignore[type-arg]
    """A child process whose output (stdout and stderr) goes, cleaned and redacted, to a
    rotating log file; :meth:`wait` also waits until its last line is written."""

    def __init__(self, args: list[str], *, handler: logging.Handler, name: str,
                 **kwargs: Any) -> None:
        super().__init__(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
        self._pump = threading.Thread(
            target=_pump, args=(self.stdout, handler, name), name=f"{name}-log", daemon=True
        )
        self._pump.start()

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the process, then (briefly) for its output to be logged."""
        code = super().wait(timeout)
        self._pump.join(timeout=10)
        return code


def _pump(stream: IO[bytes], handler: logging.Handler, name: str) -> None:
    cleaner = ChildOutput()
    try:
        for raw in iter(stream.readline, b""):
            line = cleaner.line(raw.decode("utf-8", "replace").rstrip("\r\n"))
            if line is None:
                continue
            # Made directly, not by the factory: the handler's Redactor filter redacts it.
            record = logging.LogRecord(name, logging.INFO, __file__, 0, line, None, None)
            handler.handle(record)
    finally:
        stream.close()
        handler.close()


# ---------------------------------------------------------------------------- set-up


@dataclass
class LoggingSetup:
    """What :func:`configure_logging` installed, so that it can be undone (tests) or
    re-done (the terminal chat takes the console back)."""

    log_file: Path | None
    handlers: list[logging.Handler] = field(default_factory=list)
    _saved: dict[str, Any] = field(default_factory=dict, repr=False)

    def close(self) -> None:
        """Remove the handlers and hooks; restore the previous record factory."""
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        self.handlers.clear()
        if "factory" in self._saved:
            logging.setLogRecordFactory(self._saved.pop("factory"))
        if "excepthook" in self._saved:
            sys.excepthook = self._saved.pop("excepthook")
        if "threading_excepthook" in self._saved:
            threading.excepthook = self._saved.pop("threading_excepthook")


_current: LoggingSetup | None = None


def _uncaught(kind: type[BaseException], value: BaseException,
              trace: TracebackType | None, where: str, log_file: Path | None) -> None:
    log.critical("stopped by an uncaught %s in %s", kind.__name__, where,
                 exc_info=(kind, value, trace))
    hint = f" (details in {log_file})" if log_file else ""
    print(f"steunwijzer: stopped by an unexpected {kind.__name__}{hint}", file=sys.stderr)


def configure_logging(
    settings: Settings | None,
    process: str,
    *,
    console: bool = True,
    level: int = logging.INFO,
    clock: Callable[[], float] = time.time,
) -> LoggingSetup:
    """Set up logging for this process (call once at start; again to change ``console``).

    ``process`` names the file: ``<data folder>/logs/<process>.log``. ``console``: also log
    to standard error (off in the terminal chat, whose screen is the conversation). Without
    settings (they did not load) or a writable data folder, only the console is used."""
    global _current
    saved: dict[str, Any] = {}
    if _current is not None:
        saved = _current._saved
        _current._saved = {}
        _current.close()
    factory = logging.getLogRecordFactory()
    if not hasattr(factory, "inner"):
        saved.setdefault("factory", factory)
        logging.setLogRecordFactory(_redacting_factory(factory))

    formatter = logging.Formatter(FORMAT)
    handlers: list[logging.Handler] = []
    log_file = None
    problem = None
    try:
        if settings is not None:
            retained = file_handler(settings, process, formatter=formatter, clock=clock)
            handlers.append(retained)
            log_file = retained.path
    except OSError as exc:
        problem = describe_exception(exc)
    if log_file is None:
        console = True  # nowhere else to write
    if console:
        stream = ConsoleHandler()
        stream.setFormatter(formatter)
        handlers.append(stream)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in handlers:
        root.addHandler(handler)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))

    saved.setdefault("excepthook", sys.excepthook)
    saved.setdefault("threading_excepthook", threading.excepthook)

    def excepthook(kind: type[BaseException], value: BaseException,
                   trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            saved["excepthook"](kind, value, trace)
            return
        _uncaught(kind, value, trace, "the main thread", log_file)

    def threading_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        where = f"thread {args.thread.name}" if args.thread else "a thread"
        _uncaught(args.exc_type, args.exc_value, args.exc_traceback, where, log_file)

    sys.excepthook = excepthook
    threading.excepthook = threading_hook
    _current = LoggingSetup(log_file, handlers, saved)
    if problem:
        log.warning("no log file (%s): logging to the console only", problem)
    return _current


def reset_logging() -> None:
    """Undo :func:`configure_logging` (for tests)."""
    global _current
    if _current is not None:
        _current.close()
        _current = None

