"""Load the compiled Babel catalogs in ``locales/`` and hand out one :class:`Translator` per
language.

The ``.po`` files are the source; Babel's own compiler (``pybabel compile -d locales -D
messages``, a step of ``make setup`` and so of ``make run`` and ``make test``) turns them into
the git-ignored ``.mo`` files loaded here with :meth:`babel.support.Translations.load`.

When a ``.mo`` is missing or older than its ``.po`` (the installed ``steunwijzer`` command run
without make, a checkout that changed a catalog), that catalog is compiled in memory with
Babel's API the way ``pybabel compile`` does, and a log line names the command to run: a
skipped build step must never give a person stale or English-only text, nor stop the bot.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.settings import PROJECT_ROOT
from bot.vocabulary import ALL_LANGUAGES, RTL_LANGUAGES

LOCALES_DIR = PROJECT_ROOT / "locales"
DOMAIN = "messages"
FALLBACK = "en"
COMPILE_COMMAND = "make setup (or: .venv/bin/pybabel compile -d locales -D messages)"

log = logging.getLogger(__name__)


def catalog_files(language: str, locales_dir: Path = LOCALES_DIR) -> tuple[Path, Path]:
    """The ``.po`` source and the compiled ``.mo`` of ``language``."""
    folder = locales_dir / language / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def load_catalog(language: str, locales_dir: Path = LOCALES_DIR) -> Translations | None:
    """The catalog of ``language``: its ``.mo``, or its ``.po`` compiled in memory when the
    ``.mo`` is missing or stale; ``None`` when the language has no catalog at all."""
    po, mo = catalog_files(language, locales_dir)
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        loaded = Translations.load(locales_dir, [language], DOMAIN)
        return loaded if isinstance(loaded, Translations) else None
    if not po.exists():
        return None
    # Not a warning: the text is right, only start-up is slower (and tests that demand a
    # quiet log must not depend on whether the catalogs were built).
    log.info("catalog %s is %s; compiled in memory (to compile it once: %s)", language,
             "older than its .po" if mo.exists() else "not compiled", COMPILE_COMMAND)
    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # as pybabel compile without --use-fuzzy
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@cache
def translations(language: str) -> NullTranslations:
    """The catalog for ``language``, falling back to English, then to the msgid."""
    language = language if language in ALL_LANGUAGES else FALLBACK
    chain: NullTranslations = load_catalog(FALLBACK) or NullTranslations()
    if language != FALLBACK:
        primary = load_catalog(language)
        if primary is not None:
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
