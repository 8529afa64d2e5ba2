"""IBAN and BSN, checked with ``python-stdnum`` so that ordinary numbers stay.

An IBAN may be split by spaces, dashes or dots anywhere ("NL91 ABNA …", in groups of four).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban
from stdnum.nl import bsn

from bot.privacy.scrub.numbers import blank_dates

_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[ \-.]?\d{2}")
_NL_IBAN = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
# A BSN as it is written: nine digits, or grouped 4-2-3 or 3-3-3.
_NINE_DIGITS = re.compile(
    r"(?<!\d)(?<!\d[ .\-])(?:\d{9}|\d{4}[ .\-]\d{2}[ .\-]\d{3}|\d{3}[ .\-]\d{3}[ .\-]\d{3})"
    r"(?![ .\-]?\d)"
)


def find_bsns(view: str) -> Iterator[tuple[int, int]]:
    """Nine digits that pass the BSN eleven-test ("111222333", "1112.22.333")."""
    for match in _NINE_DIGITS.finditer(blank_dates(view)):
        if bsn.is_valid(re.sub(r"\D", "", match.group(0))):
            yield match.span()


def find_ibans(view: str) -> Iterator[tuple[int, int]]:
    """IBANs, also split by spaces, dashes or dots anywhere ("NL91-ABNA-…")."""
    for start in _IBAN_START.finditer(view):
        chars: list[str] = []
        positions: list[int] = []
        separated = False
        for i in range(start.start(), len(view)):
            ch = view[i]
            if ch.isascii() and ch.isalnum():
                chars.append(ch.upper())
                positions.append(i)
                separated = False
            elif ch in " -." and chars and not separated:
                separated = True
            else:
                break
            if len(chars) == 34:
                break
        for length in range(len(chars), 14, -1):
            candidate = "".join(chars[:length])
            if iban.is_valid(candidate, check_country=False) or _NL_IBAN.fullmatch(candidate):
                yield start.start(), positions[length - 1] + 1
                break
