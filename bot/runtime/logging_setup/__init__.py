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

from bot.runtime.logging_setup.child_output import ChildOutput, LoggedProcess
from bot.runtime.logging_setup.handlers import (
    FORMAT,
    ConsoleHandler,
    RetainedFileHandler,
    file_handler,
    prune_logs,
)
from bot.runtime.logging_setup.records import Redactor, redact_record
from bot.runtime.logging_setup.redaction import redact
from bot.runtime.logging_setup.setup import (
    QUIET_LOGGERS,
    LoggingSetup,
    configure_logging,
    reset_logging,
)
from bot.runtime.logging_setup.tracebacks import WITHHELD, describe_exception, format_exception

__all__ = [
    "FORMAT",
    "QUIET_LOGGERS",
    "WITHHELD",
    "ChildOutput",
    "ConsoleHandler",
    "LoggedProcess",
    "LoggingSetup",
    "Redactor",
    "RetainedFileHandler",
    "configure_logging",
    "describe_exception",
    "file_handler",
    "format_exception",
    "prune_logs",
    "redact",
    "redact_record",
    "reset_logging",
]
