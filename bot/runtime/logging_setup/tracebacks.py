"""Exceptions as they may be logged: their type, frames and data-free codes, never a
message (it can carry what a person typed)."""

from __future__ import annotations

import errno
import traceback

from bot.runtime.logging_setup.redaction import redact

WITHHELD = "(message withheld)"


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
