"""Read dates and times a facilitator types, and turn local wall-clock time into UTC safely.

Typed input may use Western, Persian or Arabic-Indic digits. Local times that do not exist
(the hour skipped when clocks go forward) or happen twice (when clocks go back) in the
configured time zone (``settings.zone``, passed in) are refused rather than silently shifted:
a meeting at the wrong hour is worse than a question.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, tzinfo

from babel.dates import format_date, format_time

from bot.facilitators import errors
from bot.facilitators.errors import Refused
from bot.i18n.formatting import locale_for

_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?$")


def western_digits(text: str) -> str:
    """Replace any Unicode decimal digit (۱, ١ ...) by 0-9; strip spaces around."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text).strip()


def parse_date(text: str, today: date) -> date:
    """``24-12-2026``, ``24/12``, ``2026-12-24``; without a year, the next such day."""
    value = western_digits(text).replace(" ", "")
    try:
        if match := _DATE_YMD.match(value):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DATE_DMY.match(value):
            day, month, year = int(match[1]), int(match[2]), match[3]
            if year is None:
                candidate = date(today.year, month, day)
                return candidate if candidate >= today else date(today.year + 1, month, day)
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    except ValueError:
        pass  # e.g. 31-02: same answer as unreadable text
    raise Refused(errors.BAD_DATE)


def parse_time(text: str) -> time:
    """``19:30``, ``19.30``, ``1930``, ``19``."""
    match = _TIME.match(western_digits(text).replace(" ", ""))
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise Refused(errors.BAD_TIME)


def to_utc(day: date, at: time, zone: tzinfo, language: str = "en") -> datetime:
    """The UTC instant of local ``day`` ``at`` in ``zone``; refuses DST gaps and overlaps."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    values = {"time": format_time(at, format="short", locale=locale_for(language)),
              "date": format_date(day, format="long", locale=locale_for(language))}
    # A skipped local time does not survive the round trip through UTC.
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise Refused(errors.NONEXISTENT_TIME, **values)
    if first.utcoffset() != second.utcoffset():
        raise Refused(errors.AMBIGUOUS_TIME, **values)
    return first.astimezone(UTC)


def local(moment: datetime, zone: tzinfo) -> datetime:
    """An aware instant as naive wall-clock time in ``zone``."""
    return moment.astimezone(zone).replace(tzinfo=None)
