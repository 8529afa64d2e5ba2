"""Dashboard language (Dutch first, English second) and Babel formatting in local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from babel.dates import format_timedelta
from starlette.requests import Request

from bot.i18n.catalogs import Translator
from bot.i18n.formatting import locale_for, short_datetime
from bot.vocabulary import RTL_LANGUAGES

UI_LANGUAGES = ("nl", "en")
LANGUAGE_COOKIE = "sw_lang"


def ui_language(request: Request) -> str:
    """The interface language: the cookie's choice, else Dutch."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in UI_LANGUAGES else "nl"


@dataclass(frozen=True)
class UiText:
    """What templates need to speak the staff member's language and show local times."""

    language: str
    zone: tzinfo  # settings.zone

    def gettext(self, message: str, **values: object) -> str:
        """Translate a dashboard string (English msgid) through the Babel catalogs."""
        return Translator(self.language).gettext(message, **values)

    def when(self, moment: datetime | None) -> str:
        """A date and time in the interface locale, local time."""
        if moment is None:
            return "–"
        return short_datetime(moment, self.language, self.zone)

    def age(self, moment: datetime, now: datetime) -> str:
        """How long ago, e.g. "3 uur"."""
        return format_timedelta(now - moment, locale=locale_for(self.language),
                                threshold=1.1)


def text_direction(language: str) -> str:
    """``rtl`` for Farsi and Arabic, else ``ltr`` (for the ``dir`` attribute)."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"
