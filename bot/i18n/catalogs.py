"""Load the Babel catalogs in ``locales/`` and hand out one :class:`Translator` per language.

The ``.po`` files are the source of truth; they are compiled in memory at start-up, so
there is no separate build step that a fresh clone could forget.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.settings import PROJECT_ROOT
from bot.taxonomy import ALL_LANGUAGES, RTL_LANGUAGES

LOCALES_DIR = PROJECT_ROOT / "locales"
DOMAIN = "messages"
FALLBACK = "en"


def _compile(po_path: Path) -> Translations:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for ``language``, falling back to English, then to the msgid."""
    language = language if language in ALL_LANGUAGES else FALLBACK
    chain: NullTranslations = NullTranslations()
    fallback_po = LOCALES_DIR / FALLBACK / "LC_MESSAGES" / f"{DOMAIN}.po"
    if fallback_po.exists():
        chain = _compile(fallback_po)
    if language != FALLBACK:
        po = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.exists():
            primary = _compile(po)
            primary.add_fallback(chain)
            chain = primary
    return chain


@dataclass(frozen=True)
class Translator:
    """Translates and formats for one language; cheap to create."""

    language: str

    @property
    def rtl(self) -> bool:
        """Whether this language is written right to left."""
        return self.language in RTL_LANGUAGES

    def gettext(self, message: str, **values: object) -> str:
        """Translate ``message`` and fill ``{name}`` placeholders."""
        text = translations(self.language).gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """Translate with a plural form chosen by ``n`` (``{n}`` is available)."""
        text = translations(self.language).ngettext(singular, plural, n)
        return text.format(n=n, **values)

    def pgettext(self, context: str, message: str, **values: object) -> str:
        """Translate ``message`` as meant in ``context`` (a msgctxt: the same English with
        another translation, e.g. a request to family or to a neighbour) and fill
        ``{name}`` placeholders."""
        text = translations(self.language).pgettext(context, message)
        return text.format(**values) if values else text


def _(message: str) -> str:
    """Mark a string for extraction without translating it now (translated at render time)."""
    return message


def pgettext(context: str, message: str) -> tuple[str, str]:
    """Mark a string and its context for extraction without translating it now; translate
    it at render time with ``Translator(language).pgettext(*marked)``."""
    return context, message
