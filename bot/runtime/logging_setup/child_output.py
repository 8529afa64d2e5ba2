"""Another program's output (the NLU service's) into a log file, line by line: cleaned of
exception messages and redacted."""

from __future__ import annotations

import logging
import re
import subprocess
import threading
from typing import IO, Any

from bot.runtime.logging_setup.tracebacks import WITHHELD

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
