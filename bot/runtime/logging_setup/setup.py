"""The one set-up of a process: the redacting record factory, its file and console
handlers, quiet libraries and the hooks that log an uncaught exception."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from bot.runtime.logging_setup.handlers import FORMAT, ConsoleHandler, file_handler
from bot.runtime.logging_setup.records import redacting_factory
from bot.runtime.logging_setup.tracebacks import describe_exception
from bot.settings import Settings

log = logging.getLogger("steunwijzer")

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
        logging.setLogRecordFactory(redacting_factory(factory))

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

