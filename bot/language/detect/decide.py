"""The decision: from the script and the evidence of each step to one language code."""

from __future__ import annotations

import math

from bot.language.detect.answers import (
    answer_entries,
    answer_fits,
    answer_vote,
    typed_with_turkish_letters,
)
from bot.language.detect.evidence import fa_ar_evidence, function_word_evidence, script_counts
from bot.language.detect.lingua_models import confidences
from bot.language.detect.romanized import decide_romanized
from bot.language.detect.wordlists import DUTCH_LOANWORDS, MARKER_LOOKUP
from bot.text.normalize import fold
from bot.vocabulary import ALL_LANGUAGES, DEFAULT_LANGUAGE, language_from_hint

_LATIN_CANDIDATES = ("nl", "tr", "en")
_ARABIC_CANDIDATES = ("fa", "ar")

_MIN_WORDS = 3
# Lingua must beat the runner-up by this much on a latin-script message, else it is ambiguous.
_MIN_MARGIN = 0.2


def _ambiguous(
    candidates: tuple[str, ...], current: str | None, hint: str | None, guess: str
) -> str:
    """Pick the language for a message that does not decide by itself."""
    if current in candidates:
        return current  # type: ignore[return-value]
    if current is None and hint in candidates:
        return hint  # type: ignore[return-value]
    if current is not None and current in ALL_LANGUAGES and candidates == _LATIN_CANDIDATES:
        return current  # e.g. "ok" from a Farsi conversation stays Farsi
    if current is None and hint is not None and candidates == _LATIN_CANDIDATES:
        return hint  # a Farsi Telegram app that sends "ok" first
    return guess


def _decide_fa_ar(raw: str, folded_words: list[str], current: str | None, hint: str | None) -> str:
    arabic_words = [w for w in raw.split() if script_counts(w)[0] > 0]
    evidence = fa_ar_evidence(raw)
    folded_text = " ".join(folded_words)
    marker = MARKER_LOOKUP.get(folded_text)
    if marker in _ARABIC_CANDIDATES:
        return marker  # type: ignore[return-value]
    entries = answer_entries(folded_words, frozenset())
    if len(arabic_words) < _MIN_WORDS or (entries and None not in entries):
        # The keyboard (پ ژ ی ک, or ة ى) decides unless the answer words exclude its language:
        # "مرسی" with a Persian ی is Farsi even in an Arabic conversation, "نعم" stays Arabic.
        fits = answer_fits(entries)
        keyboard = "fa" if evidence >= 1.5 else "ar" if evidence <= -1.5 else None
        if keyboard is not None and (fits is None or keyboard in fits):
            return keyboard
        vote = answer_vote(entries, current, hint)
        if vote is not None:
            return vote
    if len(arabic_words) < _MIN_WORDS:
        if evidence >= 1.5:
            return "fa"
        if evidence <= -1.5:
            return "ar"
        conf = confidences(" ".join(arabic_words), _ARABIC_CANDIDATES)
        guess = "fa" if conf["fa"] >= conf["ar"] else "ar"
        return _ambiguous(_ARABIC_CANDIDATES, current, hint, guess)
    conf = confidences(" ".join(arabic_words), _ARABIC_CANDIDATES)
    eps = 1e-3
    logit = math.log((conf["fa"] + eps) / (conf["ar"] + eps))
    logit = max(-4.0, min(4.0, logit))
    evidence = max(-6.0, min(6.0, evidence + function_word_evidence(folded_words)))
    return "fa" if logit + evidence >= 0 else "ar"


def _decide_latin(raw: str, folded_words: list[str], current: str | None, hint: str | None) -> str:
    folded_text = " ".join(folded_words)
    marker = MARKER_LOOKUP.get(folded_text)
    if marker in _LATIN_CANDIDATES:
        return marker  # type: ignore[return-value]
    romanized = decide_romanized(folded_words, current)
    if romanized is not None:
        return romanized
    letter_words = [w for w in folded_words if any(ch.isalpha() for ch in w)]
    entries = answer_entries(folded_words, typed_with_turkish_letters(raw))
    if len(letter_words) < _MIN_WORDS or (entries and None not in entries):
        vote = answer_vote(entries, current, hint)
        if vote is not None:
            return vote
    if len(letter_words) < _MIN_WORDS:
        return _ambiguous(_LATIN_CANDIDATES, current, hint, DEFAULT_LANGUAGE)
    content = [w for w in folded_words if w not in DUTCH_LOANWORDS and not w.isdigit()]
    # Loanwords are only removed when enough of the sentence is left to judge.
    sample = " ".join(content if len(content) >= 2 else folded_words)
    conf = confidences(sample, _LATIN_CANDIDATES)
    ranked = sorted(conf.items(), key=lambda kv: kv[1], reverse=True)
    (best, best_value), (_, second_value) = ranked[0], ranked[1]
    if best_value - second_value < _MIN_MARGIN:
        return _ambiguous(_LATIN_CANDIDATES, current, hint, best)
    return best


def detect_language(text: str, current: str | None = None, telegram_hint: str | None = None) -> str:
    """Return the language code (one of ``ALL_LANGUAGES``) to answer ``text`` in.

    ``current`` is the conversation's language so far (kept when the message is too short or
    ambiguous to decide); ``telegram_hint`` is Telegram's ``language_code`` ("tr-TR", "fa"),
    used as a prior when there is no ``current``. The default is Dutch.
    """
    current = current if current in ALL_LANGUAGES else None
    hint = language_from_hint(telegram_hint)
    arabic, latin = script_counts(text)
    folded_words = fold(text).split()
    if arabic == 0 and latin == 0:
        return current or hint or DEFAULT_LANGUAGE
    if arabic > latin:
        return _decide_fa_ar(text, folded_words, current, hint)
    return _decide_latin(text, folded_words, current, hint)
