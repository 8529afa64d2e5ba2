"""Dates, times and numbers in the reader's locale and the configured time zone (Babel).

Moments are stored in UTC. Whatever shows one takes the zone from its caller
(``settings.zone``, from ``STEUNWIJZER_TIMEZONE``), so a single setting decides every time
a person or a coordinator reads.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from bot.vocabulary import RTL_LANGUAGES

# Babel locale per language. Farsi in the Netherlands still reads Persian digits and the
# Solar Hijri names are not what a Dutch calendar shows, so we keep the Gregorian calendar.
BABEL_LOCALE = {"nl": "nl_NL", "tr": "tr_TR", "fa": "fa_IR", "ar": "ar", "en": "en_GB"}

FSI, PDI = "\u2068", "\u2069"


def isolate(text: str, language: str) -> str:
    """Wrap Dutch names, numbers and links in Unicode isolates inside RTL text.

    Without isolates a Dutch address or phone number inside a Farsi or Arabic sentence is
    reordered by the bidi algorithm and becomes unreadable.
    """
    if language in RTL_LANGUAGES and text:
        return f"{FSI}{text}{PDI}"
    return text


def locale_for(language: str) -> str:
    """The Babel locale name used for ``language``."""
    return BABEL_LOCALE.get(language, "en_GB")


def meeting_when(start: datetime, end: datetime | None, language: str, zone: tzinfo) -> str:
    """E.g. 'dinsdag 1 december 2026, 19:30–21:30' in the reader's locale, local time in
    ``zone``."""
    locale = locale_for(language)
    local_start = start.astimezone(zone)
    day = format_date(local_start, format="full", locale=locale)
    start_time = format_time(local_start, format="short", locale=locale)
    if end is None:
        return f"{day}, {start_time}"
    end_time = format_time(end.astimezone(zone), format="short", locale=locale)
    return f"{day}, {start_time}–{end_time}"


def short_datetime(moment: datetime, language: str, zone: tzinfo) -> str:
    """A compact date and time in the reader's locale, local time in ``zone``."""
    return format_datetime(moment.astimezone(zone), format="medium", locale=locale_for(language))


def number(value: float, language: str) -> str:
    """A number in the reader's locale."""
    return format_decimal(value, locale=locale_for(language))
