"""The languages the bot speaks, their names, and what Telegram's language hint means.

Telegram sends each user's app language as ``language_code`` (an IETF tag: "tr-TR", "fa-AF",
"nl", sometimes an ISO 639-3 code such as "pes" or "prs"). Every place that reads it goes
through :func:`language_from_hint`, so all of them agree on what a hint means.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

#: Languages the citizen side speaks; English is the fallback.
CITIZEN_LANGUAGES: tuple[str, ...] = ("nl", "tr", "fa", "ar")
ALL_LANGUAGES: tuple[str, ...] = (*CITIZEN_LANGUAGES, "en")
RTL_LANGUAGES = frozenset({"fa", "ar"})
#: The language of someone the bot knows nothing about yet.
DEFAULT_LANGUAGE = "nl"

#: Three-letter codes some Telegram clients send instead of the two-letter one: Iranian
#: Persian (pes) and Dari (prs) are both answered in Farsi, as are the ISO 639-2 codes.
_THREE_LETTER = {
    "pes": "fa",
    "prs": "fa",
    "fas": "fa",
    "per": "fa",
    "ara": "ar",
    "arb": "ar",
    "tur": "tr",
    "nld": "nl",
    "dut": "nl",
    "eng": "en",
}


def language_from_hint(code: str | None) -> str | None:
    """The supported language of a Telegram ``language_code`` ("tr-TR", "fa-AF", "nl_BE",
    "pes"), or ``None`` when it names none of ours (or there is none)."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].strip().lower()
    base = _THREE_LETTER.get(base, base)
    return base if base in ALL_LANGUAGES else None


def language_name(code: str, reader: str | None = None) -> str:
    """The name of language ``code`` in the ``reader``'s language, from Babel's CLDR data
    ("Turks" for a Dutch reader); without a reader, in the language itself ("Türkçe",
    "فارسی"). A code Babel does not know is returned as it is."""
    # A reader we do not speak reads English, as in the dashboard's other labels.
    locale = code if reader is None else reader if reader in ALL_LANGUAGES else "en"
    try:
        name = Locale.parse(locale).languages.get(code)
    except (UnknownLocaleError, ValueError, LookupError):
        name = None
    return name or code
