"""Where log lines go: standard error as it is now, and one file per process that rotates
at midnight (UTC) and at a size, with rotated files deleted after the maximum age."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from logging.handlers import BaseRotatingHandler
from pathlib import Path
from typing import IO

from bot.runtime.logging_setup.records import Redactor
from bot.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
