"""Keyword understanding for degraded mode (Rasa unreachable).

Much simpler than the model: a topic from everyday words, a few intents, and a place from
the gazetteer. It keeps the buttons-first dialogue going; it does not pretend to be Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.dialogue.model import NluResult
from bot.directory.gazetteer import Gazetteer
from bot.text.normalize import fold

KEYWORDS_FILE = Path(__file__).with_name("keywords.yml")


@dataclass(frozen=True)
class KeywordTables:
    """Folded keywords per topic and per intent."""

    topics: tuple[tuple[str, tuple[str, ...]], ...]
    intents: tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=1)
def keyword_tables() -> KeywordTables:
    """Load and fold ``keywords.yml`` once."""
    data = yaml.safe_load(KEYWORDS_FILE.read_text(encoding="utf-8"))

    def folded(section: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((name, tuple(fold(w) for w in words)) for name, words in section.items())

    return KeywordTables(topics=folded(data["topics"]), intents=folded(data["intents"]))


def _has(text: str, words: tuple[str, ...]) -> bool:
    padded = f" {text} "
    return any(f" {word}" in padded for word in words)


def keyword_topic(text: str) -> str | None:
    """The first topic whose everyday words occur in ``text`` (a fallback for the model)."""
    folded = fold(text)
    return next((name for name, words in keyword_tables().topics if _has(folded, words)), None)


def understand(text: str, language: str, gazetteer: Gazetteer | None) -> NluResult:
    """Best-effort intent, topic and place for ``text``."""
    folded = fold(text)
    tables = keyword_tables()
    topic = keyword_topic(text)
    place_match = gazetteer.find_in_text(text) if gazetteer is not None else None
    place = place_match.name if place_match else None
    intent = next((name for name, words in tables.intents if _has(folded, words)), None)
    if intent in {"greet", "thanks", "goodbye", "affirm", "deny"} and len(folded.split()) > 4:
        intent = None  # "hoi, sinds mijn vrouw dood is…" is not just a greeting
    if intent is None:
        if topic:
            intent = "share_situation"
        elif place:
            intent = "inform_location"
        else:
            intent = "out_of_scope"
    entities: list[tuple[str, str]] = []
    if topic:
        entities.append(("topic", topic))
    if place:
        entities.append(("place", place))
    return NluResult(
        intent=intent,
        confidence=0.6 if intent != "out_of_scope" else 0.0,
        topic=topic,
        place=place,
        language=language,
        entities=tuple(entities),
    )
