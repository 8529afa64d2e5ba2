"""Short answers: decide a message by words such as "evet", "graag", "بله", "نعم".

Step 4 of :mod:`bot.language.detect`: each answer word has a language and the languages it is
also said in; the words of a message must agree.
"""

from __future__ import annotations

import re

from bot.language.detect.romanized import romanized_word_weights
from bot.language.detect.wordlists import ANSWER_WORDS, EVERY_LANGUAGE, TR_ENDINGS, TR_LETTERS
from bot.text.normalize import fold

# A doubled letter ("نهه", "tamaam" after folding) is tried single if the word is not listed.
_DOUBLED = re.compile(r"(\w)\1+")


def typed_with_turkish_letters(raw: str) -> frozenset[str]:
    """Folded words of ``raw`` that were typed with ı, ş or ğ."""
    return frozenset(
        word
        for token in raw.split()
        if any(ch in TR_LETTERS for ch in token)
        for word in fold(token).split()
    )


def _answer_entry(
    word: str, turkish_letter_words: frozenset[str]
) -> tuple[str, frozenset[str]] | None:
    """The (language, fits) of a short-answer word, or None when it is no evidence."""
    entry = ANSWER_WORDS.get(word) or ANSWER_WORDS.get(_DOUBLED.sub(r"\1", word))
    if entry is not None:
        return entry  # "نههه" and "evettt" fold to "نهه", "evett": tried as "نه", "evet"
    if word in turkish_letter_words or (
        len(word) > 5 and word.isalpha() and word.endswith(TR_ENDINGS)
    ):
        return ("tr", frozenset({"tr"}))
    weights = romanized_word_weights(word)
    for language, other in (("fa", "ar"), ("ar", "fa")):
        if weights[language] >= 1.0 and weights[other] < weights[language]:
            return (language, frozenset({language}))
    return None


def answer_entries(
    folded_words: list[str], turkish_letter_words: frozenset[str]
) -> list[tuple[str, frozenset[str]] | None]:
    """The answer entry of every word with a letter (None for a word that is no evidence)."""
    return [
        _answer_entry(w, turkish_letter_words)
        for w in folded_words
        if any(ch.isalpha() for ch in w)
    ]


def answer_fits(entries: list[tuple[str, frozenset[str]] | None]) -> frozenset[str] | None:
    """Languages all answer words of a message fit (None: there are none)."""
    known = [entry for entry in entries if entry is not None]
    if not known:
        return None
    fits = EVERY_LANGUAGE
    for _, word_fits in known:
        fits &= word_fits
    return fits


def answer_vote(
    entries: list[tuple[str, frozenset[str]] | None], current: str | None, hint: str | None
) -> str | None:
    """Decide a message by its short-answer words (step 4 of the module docstring)."""
    fits = answer_fits(entries)
    if not fits:
        return None  # no answer words, or they disagree ("evet nee")
    if current in fits:
        return current
    if current is None and hint in fits:
        return hint
    # Words said in every language ("ja", "thanks") never pick a language themselves.
    own = {
        entry[0]
        for entry in entries
        if entry is not None and entry[0] in fits and entry[1] != EVERY_LANGUAGE
    }
    return own.pop() if len(own) == 1 else None
