"""Log records redacted once, when they are made (the record factory) or when a handler
sees one made elsewhere (the :class:`Redactor` filter)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from bot.runtime.logging_setup.redaction import redact
from bot.runtime.logging_setup.tracebacks import describe_exception, format_exception

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


def redacting_factory(
    inner: Callable[..., logging.LogRecord],
) -> Callable[..., logging.LogRecord]:
    """A log record factory that redacts what ``inner`` makes (``inner`` is kept on it, so
    the set-up can tell it is installed and restore the one before)."""

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(inner(*args, **kwargs))

    factory.inner = inner  # type: ignore[attr-defined]
    return factory
