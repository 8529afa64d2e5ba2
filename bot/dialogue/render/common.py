"""What every part of the dialogue's texts uses: the catalog of the reader's language, and a
national line's number as the texts show it."""

from __future__ import annotations

from html import escape

from bot.directory.national_lines import national_line
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate


def gettext_for(language: str):
    """The catalog lookup of ``language`` (``_ = gettext_for(language)``)."""
    return Translator(language).gettext


def line_phone(line_id: str, language: str) -> str:
    """A national line's number, bold and isolated; numbers live in the lines file only
    (safety.md rule 7)."""
    return f"<b>{isolate(escape(national_line(line_id).phone or ''), language)}</b>"
