"""Typed domain errors: what a service raises when it cannot do what was asked.

Services raise these (or their own subclasses of them); each edge turns them into an answer
in one place: the dashboard's exception handlers (``bot/web/app.py``: 404, 403, 409, 422
pages), the conversation engine's error boundary and the Telegram error handler (a kind
answer in the person's language). No caller compares exception texts.

``message`` is an English catalog msgid (marked with ``_`` where it is defined, so it is in
the catalogs) with ``{placeholders}``; ``values`` fill them. An edge translates it with
:func:`bot.i18n.catalogs.Translator.gettext` into the reader's language; ``str(error)`` is
the English text, for the CLI. Values are never personal data (a limit, a date, an id of a
directory entry), so a message may be shown; log lines still carry the type only.

This module is at the bottom of the import graph: it imports nothing from ``bot``.
"""

from __future__ import annotations

import os
import traceback


class DomainError(Exception):
    """Base of the typed errors: a msgid for people (may be empty) and its values."""

    def __init__(self, message: str = "", **values: object) -> None:
        super().__init__(message.format(**values) if values else message)
        self.message = message
        self.values = values


class NotFound(DomainError, LookupError):
    """The thing does not exist, or is out of the caller's scope (the two look the same, so
    ids of other regions or organisations cannot be probed). Dashboard: 404."""


class NotAllowed(DomainError):
    """The caller is known but may not do this (a coordinator doing an admin's work).
    Dashboard: 403."""


class Conflict(DomainError):
    """The thing changed meanwhile so the action no longer applies (a request already closed,
    an invitation already used). Dashboard: 409."""


class Refused(DomainError):
    """A rule refuses what was asked; ``message`` says which, for the person (required).
    Dashboard: 422."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message, **values)


def place_of(error: BaseException) -> str:
    """Where ``error`` was raised, for a log line: the deepest frame of our own code (a
    library's frame says little) as ``file:line``; never a value from the traceback."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f"{os.sep}bot{os.sep}" in f.filename] or frames
    return f"{ours[-1].filename}:{ours[-1].lineno}" if ours else "?"
