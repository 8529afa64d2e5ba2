"""Split a message into sentences, so one sentence's signal is not drowned by the rest.

The crisis net asks the NLU model about every sentence of a long message (safety.md rule 1):
"I'm looking for a language café in Tilburg. My family would be calmer without me." scores low
as a whole and high on its second sentence.
"""

from __future__ import annotations

import re

# Sentence ends in Latin, Arabic and Persian script (؟ ؛ ۔), ellipses, and line breaks.
_END = re.compile(r"(?<=[.!?؟؛۔…])\s+|\n+")
#: A sentence needs this many words to stand alone; shorter ones join the sentence before.
MIN_WORDS = 3
#: At most this many sentences are returned (the last one keeps the rest of a very long text).
MAX_SENTENCES = 8


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (at least one when ``text`` has any word)."""
    pieces = [p.strip() for p in _END.split(text) if p and p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences and len(piece.split()) < MIN_WORDS:
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    if len(sentences) > 1 and len(sentences[0].split()) < MIN_WORDS:
        sentences[0:2] = [f"{sentences[0]} {sentences[1]}"]
    if len(sentences) > MAX_SENTENCES:
        sentences[MAX_SENTENCES - 1 :] = [" ".join(sentences[MAX_SENTENCES - 1 :])]
    return sentences
