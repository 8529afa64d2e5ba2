"""Keyword understanding for degraded mode (Rasa unreachable).

Much simpler than the model: a topic from everyday words, a few intents, and a place from
the gazetteer. It keeps the buttons-first dialogue going; it does not pretend to be Rasa.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.directory.gazetteer import Gazetteer
from bot.text.normalize import fold
from bot.vocabulary import NluResult

KEYWORDS_FILE = Path(__file__).with_name("keywords.yml")
#: More words per language (``keywords/<lang>.yml``), appended to the lists of the same name in
#: ``keywords.yml``, which alone sets which names exist and their order (the priority).
KEYWORDS_DIR = Path(__file__).with_name("keywords")
#: The sections a language file may extend.
_EXTENDABLE = ("topics", "intents", "wishes", "preferences", "about")


@dataclass(frozen=True)
class Keyword:
    """One folded keyword: a whole word or phrase, or (``prefix``) the start of a word."""

    text: str
    prefix: bool

    def found_in(self, padded: str) -> bool:
        """Whether it occurs in ``padded`` (folded text with a space on either side)."""
        return f" {self.text}{'' if self.prefix else ' '}" in padded

    def spans(self, padded: str) -> list[tuple[int, int]]:
        """Where it occurs in ``padded``: (start, end) of each match, prefix words whole."""
        needle = f" {self.text}{'' if self.prefix else ' '}"
        found = []
        start = padded.find(needle)
        while start >= 0:
            # The match ends at the space after its (whole) word.
            end = padded.find(" ", start + len(needle) - 1)
            found.append((start + 1, end if end >= 0 else len(padded)))
            start = padded.find(needle, start + 1)
        return found


@dataclass(frozen=True)
class Keywords:
    """The keywords of one topic, intent or choice, with one pattern that finds any of them:
    a single search instead of a substring test per keyword (a topic has up to a few hundred,
    and every sentence of every message is read against all of them)."""

    words: tuple[Keyword, ...]
    pattern: re.Pattern[str] = field(compare=False, repr=False)

    @classmethod
    def of(cls, words: tuple[Keyword, ...]) -> Keywords:
        """``words`` and their pattern (the needles of :meth:`Keyword.found_in`, escaped)."""
        needles = (f" {k.text}{'' if k.prefix else ' '}" for k in words)
        return cls(words, re.compile("|".join(re.escape(n) for n in needles) or r"(?!)"))

    def __iter__(self) -> Iterator[Keyword]:
        return iter(self.words)

    def any_in(self, padded: str) -> bool:
        """Whether any keyword occurs in ``padded`` (as :meth:`Keyword.found_in`)."""
        return self.pattern.search(padded) is not None


Table = tuple[tuple[str, Keywords], ...]


@dataclass(frozen=True)
class KeywordTables:
    """Folded keywords per topic, per intent and per "help me ask" choice, in priority order."""

    topics: Table
    intents: Table
    # "who", "what" and "when" (bot/network/choices.py): a table of codes for each.
    network: tuple[tuple[str, Table], ...] = ()
    # What a person asks for (group, volunteer, person, volunteer_signup), in priority order.
    wishes: Table = ()
    # women_only and own_language: wishes that narrow a search.
    preferences: Table = ()
    # "other": the help is for someone the person cares for.
    about: Table = ()
    # Words that negate a wish said just after ("geen groep") or just before ("grup istemiyorum").
    negation_before: frozenset[str] = frozenset()
    negation_after: frozenset[str] = frozenset()


def _keyword(entry: str) -> Keyword:
    # The * is taken off before folding: fold() turns punctuation into spaces.
    prefix = entry.endswith("*")
    return Keyword(fold(entry.removesuffix("*")), prefix)


class KeywordFileError(ValueError):
    """A language's keyword file names a section or a list that ``keywords.yml`` lacks."""


def _extend(data: dict[str, Any], extra: dict[str, Any], source: str) -> None:
    """Append ``extra``'s lists to ``data``'s lists of the same section and name."""
    for section, lists in (extra or {}).items():
        if section not in _EXTENDABLE:
            raise KeywordFileError(f"{source}: section {section!r} cannot be extended")
        for name, entries in (lists or {}).items():
            if name not in data[section]:
                raise KeywordFileError(f"{source}: {section}.{name} is not in keywords.yml")
            data[section][name] = [*data[section][name], *(entries or [])]


def load_keyword_data() -> dict[str, Any]:
    """``keywords.yml`` with every language file's words appended."""
    data: dict[str, Any] = yaml.safe_load(KEYWORDS_FILE.read_text(encoding="utf-8"))
    for path in sorted(KEYWORDS_DIR.glob("*.yml")):
        _extend(data, yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    return data


@lru_cache(maxsize=1)
def keyword_tables() -> KeywordTables:
    """Load and fold the keywords once."""
    data = load_keyword_data()

    def table(section: dict[str, list[str]]) -> Table:
        return tuple(
            (name, Keywords.of(tuple(_keyword(str(entry)) for entry in entries)))
            for name, entries in section.items()
        )

    return KeywordTables(
        topics=table(data["topics"]),
        intents=table(data["intents"]),
        network=tuple((slot, table(codes)) for slot, codes in data["network"].items()),
        wishes=table(data["wishes"]),
        preferences=table(data["preferences"]),
        about=table(data["about"]),
        negation_before=frozenset(fold(str(w)) for w in data["negation"]["before"]),
        negation_after=frozenset(fold(str(w)) for w in data["negation"]["after"]),
    )


def _first_match(folded: str, table: Table) -> str | None:
    padded = f" {folded} "
    return next(
        (name for name, keywords in table if keywords.any_in(padded)), None
    )


def _all_matches(folded: str, table: Table) -> tuple[str, ...]:
    padded = f" {folded} "
    return tuple(name for name, keywords in table if keywords.any_in(padded))


def keyword_topic(text: str) -> str | None:
    """The first topic whose everyday words occur in ``text`` (a fallback for the model)."""
    return _first_match(fold(text), keyword_tables().topics)


def keyword_topics(text: str) -> tuple[str, ...]:
    """Every topic whose everyday words occur in ``text``, in priority order."""
    return _all_matches(fold(text), keyword_tables().topics)


def keyword_intent(text: str) -> str | None:
    """The first intent whose everyday words occur in ``text``."""
    return _first_match(fold(text), keyword_tables().intents)


def keyword_wish(text: str) -> str | None:
    """What ``text`` asks for in everyday words (``group``, ``volunteer``, ``person``,
    ``volunteer_signup``), or ``None``. A wish said with a negation ("geen groep, liever
    iemand om mee te praten", "grup istemiyorum") does not count."""
    tables = keyword_tables()
    padded = f" {fold(text)} "
    for name, keywords in tables.wishes:
        if not keywords.any_in(padded):
            continue
        for keyword in keywords:
            if any(not _negated(padded, span, tables) for span in keyword.spans(padded)):
                return name
    return None


def _negated(padded: str, span: tuple[int, int], tables: KeywordTables) -> bool:
    """Whether a negation (a word or a two-word phrase) stands within three words before or
    two words after ``span`` of ``padded``."""
    before = padded[: span[0]].split()[-3:]
    after = padded[span[1] :].split()[:2]

    def grams(words: list[str]) -> set[str]:
        return {*words, *(" ".join(pair) for pair in itertools.pairwise(words))}

    return bool(
        grams(before) & tables.negation_before or grams(after) & tables.negation_after
    )


def keyword_preferences(text: str) -> frozenset[str]:
    """The search wishes (``women_only``, ``own_language``) ``text`` names."""
    return frozenset(_all_matches(fold(text), keyword_tables().preferences))


def keyword_about_other(text: str) -> bool:
    """Whether ``text`` asks for help for someone else ("voor mijn moeder")."""
    return _first_match(fold(text), keyword_tables().about) == "other"


def keyword_choices(text: str) -> dict[str, str]:
    """The "help me ask" choices whose everyday words occur in ``text``: ``{"who":
    "neighbour", "what": "shopping"}`` for "hoe vraag ik de buren om boodschappen?". Codes
    only; the engine checks them against bot/network/choices.py."""
    folded = fold(text)
    found = {slot: _first_match(folded, table) for slot, table in keyword_tables().network}
    return {slot: code for slot, code in found.items() if code}


def understand(text: str, language: str, gazetteer: Gazetteer | None) -> NluResult:
    """Best-effort intent, topic and place for ``text``."""
    folded = fold(text)
    topic = keyword_topic(text)
    place_match = gazetteer.find_in_text(text) if gazetteer is not None else None
    place = place_match.name if place_match else None
    intent = keyword_intent(text)
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
