"""Evidence from the letters and words themselves: the script, and Farsi versus Arabic."""

from __future__ import annotations

import unicodedata

from bot.language.detect.wordlists import AR_FUNCTION_WORDS, FA_FUNCTION_WORDS

_FUNCTION_WORD_WEIGHT = 0.75


# Letter evidence for Farsi versus Arabic (raw, unfolded text).
_FA_STRONG = frozenset("پژیک")  # ی U+06CC and ک U+06A9 come from a Persian keyboard
_FA_WEAK = frozenset("گچ")  # also written in Iraqi/Gulf colloquial Arabic
_AR_STRONG = frozenset("ةى")
_AR_WEAK = frozenset("يك")  # an Arabic keyboard; Persians sometimes use one too


def script_counts(text: str) -> tuple[int, int]:
    """Count Arabic-script and Latin-script letters."""
    arabic = latin = 0
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("ARABIC"):
            arabic += 1
        elif name.startswith("LATIN"):
            latin += 1
    return arabic, latin


def fa_ar_evidence(raw: str) -> float:
    """Letter evidence in log-odds units: positive favours Farsi, negative Arabic."""
    score = 0.0
    for ch in raw:
        if ch in _FA_STRONG:
            score += 1.5
        elif ch in _FA_WEAK:
            score += 0.75
        elif ch in _AR_STRONG:
            score -= 1.5
        elif ch in _AR_WEAK:
            score -= 0.25
    return max(-6.0, min(6.0, score))


def function_word_evidence(folded_words: list[str]) -> float:
    """Persian/Dari versus Arabic function words, in the units of ``fa_ar_evidence``."""
    distinct = set(folded_words)
    fa = len(distinct & FA_FUNCTION_WORDS)
    ar = len(distinct & AR_FUNCTION_WORDS)
    return _FUNCTION_WORD_WEIGHT * (fa - ar)
