"""The inflection rules per language: endings and prefixes around a place name.

Turkish case endings ("Lahey'de", "Tilburg'da"), Dutch adjective endings ("Rotterdamse"),
Persian endings ("آمرسفورتم") and attached Arabic prefixes ("بروتردام").
"""

from __future__ import annotations

import re

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


# Turkish case endings after a place name ("Tilburg'da", "Lahey'den", "Utrecht'teyim") and Dutch
# adjective endings ("Rotterdamse"), longest first. Folding has already removed the apostrophe
# and the dots of ı/ü, so "'dayım" is "dayim".
_LATIN_SUFFIXES = (
    "dayim", "deyim", "tayim", "teyim", "daki", "deki", "taki", "teki", "dan", "den", "tan",
    "ten", "nin", "nun", "da", "de", "ta", "te", "ya", "ye", "li", "lu", "in", "un", "se",
    "a", "e", "i", "u", "s",
)  # fmt: skip
# Persian endings after a place name (folded: ی→ي): "I am" (-م, -يم, -ام), ezafe and "-ه".
_PERSIAN_SUFFIXES = ("يم", "ام", "م", "ي", "ه")
# Arabic letters attached in front of a word: wa- (and), bi- (in), li- (to), fa-, pairs, and the
# article al- alone or after them, which some writers put before a place. Aliases list bare names.
_ARABIC_PREFIXES = ("وبال", "وال", "بال", "فال", "ال", "وب", "ول", "وفي", "و", "ب", "ل", "ف")


def variants(key: str) -> list[str]:
    """``key`` with a Turkish/Dutch ending cut from its last word ("laheyde" → "lahey") or
    an attached Arabic prefix cut from its first word ("بروتردام" → "روتردام").

    Only used for exact lookups: a cut is accepted only when the rest is a known alias.
    """
    words = key.split(" ")
    head, last = words[:-1], words[-1]
    found = []
    if not _ARABIC_SCRIPT.search(last):
        found += [
            " ".join([*head, last[: -len(s)]])
            for s in _LATIN_SUFFIXES
            if last.endswith(s) and len(last) - len(s) >= 3
        ]
    else:
        # Persian endings: "ساکن آمرسفورتم" (I live in Amersfoort), "تو روتردامیم".
        found += [
            " ".join([*head, last[: -len(s)]])
            for s in _PERSIAN_SUFFIXES
            if last.endswith(s) and len(last) - len(s) >= 3
        ]
    first, tail = words[0], words[1:]
    if _ARABIC_SCRIPT.search(first):
        # A prefix may leave a short first word of a longer name: "بدن هاخ" → "دن هاخ".
        shortest = 2 if tail else 3
        found += [
            " ".join([first[len(p) :], *tail])
            for p in _ARABIC_PREFIXES
            if first.startswith(p) and len(first) - len(p) >= shortest
        ]
    return found
