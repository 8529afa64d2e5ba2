"""Words of a text with their folded keys, and phrases of several words among them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.normalize import fold

# A word: letters (any script, with Arabic harakat, tatweel and ZWNJ inside), digits after the
# first letter ("fatma90"), and apostrophes or hyphens between letters ("Ayşe'nin", "El-Amrani").
_MARKS = "\u064b-\u065f\u0670\u0640\u200c"
_WORD = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])(?:[\w{_MARKS}]|['’\-](?=[^\W\d_]))*")
# Letters only: number words are split at hyphens ("vier-en-dertig", "twenty-five").
LETTERS = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class Token:
    """A word of the text, where it stands and its folded key."""

    start: int
    end: int
    raw: str
    key: str  # fold() of the word without a Turkish case ending after an apostrophe

    @property
    def latin(self) -> bool:
        return not _ARABIC_SCRIPT.match(self.raw)

    @property
    def capitalised(self) -> bool:
        return self.raw[0].isupper()


def tokenize(text: str, pattern: re.Pattern[str] = _WORD) -> list[Token]:
    """The words of ``text`` (or the matches of ``pattern``) with their folded keys."""
    tokens = []
    for match in pattern.finditer(text):
        raw = match.group(0)
        stem = re.split(r"['’]", raw, maxsplit=1)[0]
        tokens.append(Token(match.start(), match.end(), raw, fold(stem)))
    return tokens


def match_phrase(
    tokens: Sequence[Token], i: int, phrases: Sequence[tuple[str, ...]], text: str
) -> int:
    """Length of the longest phrase starting at ``tokens[i]`` (words apart by spaces), or 0."""
    for phrase in phrases:
        n = len(phrase)
        if i + n > len(tokens):
            continue
        if all(tokens[i + k].key == phrase[k] for k in range(n)) and all(
            not text[tokens[i + k].end : tokens[i + k + 1].start].strip() for k in range(n - 1)
        ):
            return n
    return 0
