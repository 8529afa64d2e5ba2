"""Recurring meetings as iCalendar RRULEs: weekly, every two weeks, monthly "second Tuesday".

Rules are evaluated in Europe/Amsterdam wall-clock time, so a 19:30 meeting stays 19:30 on
both sides of the daylight-saving change.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from babel.dates import get_day_names
from dateutil.rrule import rrulestr

from bot.i18n.catalogs import Translator
from bot.i18n.formatting import locale_for

_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Repeat(StrEnum):
    """How often a new meeting repeats."""

    ONCE = "once"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


def nth_weekday(day: datetime) -> int:
    """Which weekday of its month ``day`` is: 1-4, or -1 for a fifth (= the last)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def rrule_for(repeat: Repeat, local_start: datetime) -> str | None:
    """The RRULE (without DTSTART) for ``repeat`` starting at ``local_start``; None for once."""
    weekday = _BYDAY[local_start.weekday()]
    if repeat == Repeat.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    if repeat == Repeat.BIWEEKLY:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}"
    if repeat == Repeat.MONTHLY:
        return f"FREQ=MONTHLY;BYDAY={nth_weekday(local_start)}{weekday}"
    return None


def occurrences(rule: str, local_start: datetime, after: datetime,
                before: datetime) -> list[datetime]:
    """Local (naive) starts of ``rule`` from ``local_start`` within [after, before]."""
    return list(rrulestr(rule, dtstart=local_start).between(after, before, inc=True))


def describe(repeat: Repeat, local_start: datetime, language: str) -> str:
    """E.g. "every week on Tuesday", "every second Tuesday of the month", in ``language``."""
    _ = Translator(language).gettext
    day = get_day_names("wide", locale=locale_for(language))[local_start.weekday()]
    if repeat == Repeat.WEEKLY:
        return _("every week on {day}", day=day)
    if repeat == Repeat.BIWEEKLY:
        return _("every two weeks on {day}", day=day)
    if repeat == Repeat.MONTHLY:
        nth = nth_weekday(local_start)
        texts = {
            1: _("every first {day} of the month", day=day),
            2: _("every second {day} of the month", day=day),
            3: _("every third {day} of the month", day=day),
            4: _("every fourth {day} of the month", day=day),
            -1: _("every last {day} of the month", day=day),
        }
        return texts[nth]
    return _("once")


def repeat_of(rule: str | None) -> Repeat:
    """The :class:`Repeat` a stored rule stands for."""
    if not rule:
        return Repeat.ONCE
    if "FREQ=MONTHLY" in rule:
        return Repeat.MONTHLY
    if "INTERVAL=2" in rule:
        return Repeat.BIWEEKLY
    return Repeat.WEEKLY
