"""Persian and Arabic typed in Latin letters: Finglish ("man khaste shodam") and Arabizi ("7abibi").

Step 3 of :mod:`bot.language.detect`: each marker word counts once with its weight, Arabizi
words with a digit for a letter weigh 2, Persian verb forms 1.
"""

from __future__ import annotations

import re

from bot.language.detect.wordlists import ROMANIZED_MARKERS

# Arabizi: a digit for a letter (3 ع, 7 ح, 2 ء, 5 خ, 9 ق/ص). Inside a word with a vowel
# ("ta3bana", "so2al"), or at the start of a word before a, e, o ("7abibi", "3ala"; not the
# Turkish "5inci", "3uncu", "5ten" nor the Dutch "3uur").
_ARABIZI_INSIDE = re.compile(r"^[a-z]+[23579][a-z]+$")
_ARABIZI_START = re.compile(r"^[3579][aeo][a-z]{2,}$")
_ARABIZI_NOT = ("h2o", "mp3", "euro")
_ARABIZI_WEIGHT = 2.0
# Persian verbs in Latin letters: mi-/nemi- + a frequent stem ("mikham", "mitunam", "nemibare"),
# be-/bo- + stem + person ending ("besham", "bokonam"; not Dutch "bedoelde", Turkish "beri").
_FINGLISH_VERB = re.compile(
    r"^(?:nemi[a-z]{3,}|mi(?:kh|kon|tun|toon|dun|doon|mun|moon|fahm|gir|zan|pors|nevis|khor"
    r"|bin|shav)[a-z]*|b[eo](?:sh|kon|zan|bar|bin|khor|pors)(?:am|i|e|im|id|an))$"
)
_FINGLISH_VERB_WEIGHT = 1.0
# Score a Latin message needs to be Farsi/Arabic: two markers, one of them clearly Persian or
# Arabic, or one unmistakable word (less when the conversation already is in that language;
# in a message of fewer than three words a single word of weight 1 is an answer word).
_ROMANIZED_THRESHOLD = 1.5
_ROMANIZED_THRESHOLD_CURRENT = 1.0


def _arabizi_word(word: str) -> bool:
    """A Latin word with a digit for an Arabic letter ("ta3bana", "7abibi")."""
    if any(part in word for part in _ARABIZI_NOT):
        return False
    return bool(_ARABIZI_INSIDE.match(word) and re.search(r"[aeiou]", word)) or bool(
        _ARABIZI_START.match(word)
    )


def romanized_word_weights(word: str) -> dict[str, float]:
    """Finglish and Arabizi weight of one folded Latin word (step 3)."""
    weights = {language: ROMANIZED_MARKERS[language].get(word, 0.0) for language in ("fa", "ar")}
    if not weights["fa"] and not weights["ar"]:
        if _FINGLISH_VERB.match(word):
            weights["fa"] = _FINGLISH_VERB_WEIGHT
        elif _arabizi_word(word):
            weights["ar"] = _ARABIZI_WEIGHT
    return weights


def decide_romanized(folded_words: list[str], current: str | None) -> str | None:
    """Farsi or Arabic when the Latin words are Finglish or Arabizi enough, else None."""
    weights = [romanized_word_weights(word) for word in set(folded_words)]
    for language, other in (("fa", "ar"), ("ar", "fa")):
        score = sum(w[language] for w in weights)
        if score <= sum(w[other] for w in weights):
            continue
        if score >= _ROMANIZED_THRESHOLD:
            return language
        # Same language as before: one clear word is enough ("ok mikham"), shared ones are not.
        clear = any(w[language] >= 1.0 for w in weights)
        if current == language and clear and score >= _ROMANIZED_THRESHOLD_CURRENT:
            return language
    return None
