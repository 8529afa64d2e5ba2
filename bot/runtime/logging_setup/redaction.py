"""Redaction of text that is to be logged: identifiers, tokens, contact details and SQL
parameters give way to a placeholder (``<id>``, ``<pseudonym>``, ``<phone>`` …)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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
