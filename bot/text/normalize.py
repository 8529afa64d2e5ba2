"""Text folding for matching, and bidi isolation for mixed-direction messages.

``fold`` produces a *matching key*, never text to show anyone: it is lossy on purpose so that
one lexicon line matches the many ways people actually type a phrase (no diacritics, no hamza,
Arabic or Persian keyboard, Turkish on a Dutch keyboard, with or without ZWNJ, shouting).

Folding choices (documented here because lexicons and tests depend on them):

* Unicode NFKC (presentation forms, ligatures such as ﻻ and ĳ, full-width letters), then
  ``str.casefold`` (İ becomes i, ß becomes ss).
* All combining marks are removed after NFD: Latin accents (é→e, ş→s, ğ→g, ç→c, ö→o, ü→u),
  Arabic harakat, shadda, superscript alef, and the hamza/madda carried by a letter
  (أ إ آ → ا, ؤ → و, ئ → ي, ۀ → ه). Dotless ı → i.
* Arabic-script unification: standalone hamza ء is dropped, ٱ → ا, ة → ه, ى → ي,
  Persian ی → Arabic ي, Persian ک → Arabic ك, ە/ھ → ه, tatweel ـ dropped.
  Arabic-Indic and Persian digits → ASCII digits.
* ZWNJ (U+200C) and other invisible format characters are *removed* (the two halves join), and
  the verbal prefixes می / نمی written as a separate word are joined to the next word, so
  "می‌خواهم", "میخواهم" and "می خواهم" all fold to "ميخواهم".
* Apostrophes are removed (Turkish "Tilburg'da" → "tilburgda", Dutch "m'n" → "mn"); any other
  punctuation, symbol or emoji becomes a space; whitespace is collapsed and trimmed.
* A letter repeated three or more times is squeezed to two ("heeeelp" → "heelp",
  "doooood" → "dood", "لاااا" → "لاا"): two keeps Dutch double vowels intact. Digits are
  never squeezed (phone numbers, postcodes).
"""

from __future__ import annotations

import re
import unicodedata

# Single-character replacements applied after NFKC + casefold + mark stripping.
_CHAR_MAP: dict[int, str] = {
    ord("ı"): "i",
    ord("ø"): "o",
    ord("æ"): "ae",
    ord("œ"): "oe",
    ord("ł"): "l",
    ord("đ"): "d",
    ord("ħ"): "h",
    ord("þ"): "th",
    # Arabic script unification.
    ord("\u0621"): "",  # ء standalone hamza
    ord("\u0674"): "",  # high hamza
    ord("\u0671"): "\u0627",  # ٱ alef wasla → ا
    ord("\u0629"): "\u0647",  # ة → ه
    ord("\u0649"): "\u064a",  # ى → ي
    ord("\u06cc"): "\u064a",  # Persian ی → ي
    ord("\u06d2"): "\u064a",  # ے (Urdu barree yeh) → ي
    ord("\u06a9"): "\u0643",  # Persian ک → ك
    ord("\u06aa"): "\u0643",  # swash kaf → ك
    ord("\u06d5"): "\u0647",  # ە → ه (left over from ۀ)
    ord("\u06be"): "\u0647",  # ھ → ه
    ord("\u06c1"): "\u0647",  # ہ → ه
    ord("\u0640"): "",  # tatweel
}
# Apostrophes join (Turkish suffixes, Dutch contractions); removed before punctuation → space.
_APOSTROPHES = str.maketrans(dict.fromkeys("'\u2019\u2018`\u00b4\u02bc", ""))
# Arabic-Indic (U+0660..) and Persian (U+06F0..) digits → ASCII.
_CHAR_MAP.update({0x0660 + i: str(i) for i in range(10)})
_CHAR_MAP.update({0x06F0 + i: str(i) for i in range(10)})

_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
# After folding the Persian prefix is "مي"/"نمي"; joined to the following word (see module doc).
_MI_PREFIX = re.compile(r"(?:(?<=\s)|^)(ن?مي) (?=\S)")

_FSI = "\u2068"
_PDI = "\u2069"


def _marks_and_format_class() -> str:
    """A regex character class of every combining mark and invisible format character.

    Built once at import from the Unicode database (BMP scan, a few milliseconds) because a
    per-character Python loop in ``fold`` was the slowest step of the crisis check.
    """
    ranges: list[str] = []
    start = prev = -2
    for cp in range(0x10000):
        if unicodedata.category(chr(cp))[0] == "M" or unicodedata.category(chr(cp)) == "Cf":
            if cp != prev + 1:
                if start >= 0:
                    ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
                start = cp
            prev = cp
    if start >= 0:
        ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
    # Supplementary planes: musical/other marks are irrelevant; tags and variation selectors
    # (emoji sequences) are the ones that occur in chat.
    ranges.append("\U000e0000-\U000e0fff")
    return "[" + "".join(ranges) + "]"


_MARKS_FORMAT = re.compile(_marks_and_format_class())
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Return the matching key of ``text`` (see the module docstring for the exact rules).

    The result is lower-case, without diacritics, with unified Arabic/Persian letters,
    punctuation turned into single spaces and no leading/trailing space. It is meant for
    comparing and pattern matching only, never for display.
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    s = unicodedata.normalize("NFD", s)
    # Marks (accents, harakat, hamza/madda carried by a letter) and ZWNJ/bidi controls vanish.
    s = _MARKS_FORMAT.sub("", s)
    s = s.translate(_CHAR_MAP)
    # Punctuation, symbols, emoji, underscores and whitespace: one space.
    s = _NON_WORD.sub(" ", s).strip()
    s = _MI_PREFIX.sub(r"\1", s)
    return _REPEATS.sub(r"\1\1", s)


def bidi_isolate(text: str) -> str:
    """Wrap ``text`` in FSI … PDI so it keeps its own direction inside a message.

    Used for Dutch names, numbers, phone numbers and links inside Farsi or Arabic (RTL)
    sentences, so a phone number keeps its digit order (not "2000-0800"). Empty text stays empty.
    """
    if not text:
        return ""
    return f"{_FSI}{text}{_PDI}"
