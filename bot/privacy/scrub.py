"""Remove personal data from text a citizen sends to a coordinator (privacy.md).

Phone numbers are found with ``phonenumbers`` (Dutch region by default, international
numbers too), IBAN and BSN are checked with ``python-stdnum`` so that ordinary numbers are
left alone; e-mail, URLs, @handles, Telegram links and postcode + house number by pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from stdnum import iban
from stdnum.nl import bsn

PLACEHOLDERS = {
    "phone": "[phone]",
    "email": "[e-mail]",
    "iban": "[IBAN]",
    "bsn": "[BSN]",
    "address": "[address]",
    "url": "[link]",
    "handle": "[@name]",
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_TELEGRAM = re.compile(r"(?:https?://)?(?:t\.me|telegram\.me|telegram\.dog)/\S+", re.IGNORECASE)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:nl|com|org|net|be|de|tr|ir)(?:/\S*)?\b", re.IGNORECASE
)
_HANDLE = re.compile(r"(?<![\w@\[])@[A-Za-z0-9_]{4,32}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
_NINE_DIGITS = re.compile(r"(?<!\d)(\d{4}[ .]?\d{2}[ .]?\d{3}|\d{9})(?!\d)")
# Dutch postcode followed or preceded by a house number, e.g. "3512 AB 12" or "straat 12, 3512AB".
_ADDRESS = re.compile(
    r"\b\d{4}\s?[A-Za-z]{2}\b(?:[\s,]+\d{1,5}\s?[A-Za-z]?\b)?"
    r"|\b[A-Za-zÀ-ÿ.'-]{3,}(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad)\s+\d{1,5}\s?[A-Za-z]?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Scrubbed:
    """The cleaned text and what kinds of data were removed."""

    text: str
    removed: tuple[str, ...]


def _phones(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, "NL", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        spans.append((match.start, match.end))
    return spans


def scrub(text: str) -> Scrubbed:
    """Replace personal data in ``text`` with neutral placeholders."""
    removed: list[str] = []

    def sub(pattern: re.Pattern[str], kind: str, value: str, check=None) -> str:
        def replace(match: re.Match[str]) -> str:
            if check is not None and not check(match.group(0)):
                return match.group(0)
            removed.append(kind)
            return PLACEHOLDERS[kind]

        return pattern.sub(replace, value)

    text = sub(_EMAIL, "email", text)
    text = sub(_TELEGRAM, "handle", text)
    text = sub(_URL, "url", text)
    text = sub(_HANDLE, "handle", text)
    text = sub(_IBAN, "iban", text, check=lambda s: iban.is_valid(s.replace(" ", "")))
    text = sub(_NINE_DIGITS, "bsn", text, check=lambda s: bsn.is_valid(re.sub(r"\D", "", s)))
    # Phone numbers before addresses: a phone's digit groups can look like a postcode.
    for start, end in sorted(_phones(text), reverse=True):
        text = text[:start] + PLACEHOLDERS["phone"] + text[end:]
        removed.append("phone")
    text = sub(_ADDRESS, "address", text)
    return Scrubbed(text=text, removed=tuple(removed))
