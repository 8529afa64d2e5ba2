"""Phone numbers, written in digits of any script or spelled out in words.

``phonenumbers`` finds them (Dutch region by default, international numbers too); for groupings
it does not know, any run of 9 to 15 digits counts. Dates ("12-03-2025") and times ("19:30") are
never read as phone numbers. A spelled-out run of several number groups with six digits or more
is a phone number too, even when no pattern knows its format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import phonenumbers

from bot.privacy.scrub.numbers import NumberRun, blank_dates

_LONG_NUMBER = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[ \t\-./()]{1,2}\d|\d){8,14}(?![\w])")


def find_phones(view: str) -> Iterator[tuple[int, int]]:
    """Phone numbers in the digit view; dates and times are blanked first."""
    plain = blank_dates(view)
    for match in phonenumbers.PhoneNumberMatcher(
        plain, "NL", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        digits = sum(ch.isdigit() for ch in match.raw_string)
        dialled = match.raw_string.lstrip("(").startswith(("+", "0"))
        # Short numbers ("12550", "100000") are amounts far more often than phone numbers; a
        # number dialled with 0 or + may be shorter (a free 0800 number of eight digits).
        if digits >= 9 or (dialled and digits >= 8):
            yield match.start, match.end
    for match in _LONG_NUMBER.finditer(plain):
        if 9 <= sum(ch.isdigit() for ch in match.group(0)) <= 15:
            yield match.start(), match.end()


def spelled_out_phones(runs: Sequence[NumberRun]) -> Iterator[tuple[int, int]]:
    """Runs of number words that are a phone number, as spans of the original text.

    A number spelled out in several groups with six digits or more ("nul zes twaalf
    vierendertig…") is a phone number even where no phone pattern knows its format.
    """
    for run in runs:
        if run.groups >= 2 and len(run.digits) >= 6:
            yield run.start, run.end
