"""The word lists of the scrubber (``data/scrub_words.yml``, ``data/given_names.txt``), folded once.

Matching uses :func:`bot.text.normalize.fold` keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.text.normalize import fold

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
WORDS_FILE = DATA_DIR / "scrub_words.yml"
NAMES_FILE = DATA_DIR / "given_names.txt"


def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(str(word)) for word in words)


def _phrases(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    # Longest first, so "benim adım" wins over "adım" and "انا اسمي" over "انا".
    keyed = {tuple(fold(phrase).split()) for phrase in phrases}
    return tuple(sorted(keyed, key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    """Every word list, folded: number words, name phrases, social networks, units."""

    additive: dict[str, int]
    multiplier: dict[str, int]
    teen_after: frozenset[str]
    connector: frozenset[str]
    not_alone: frozenset[str]
    compound_pieces: tuple[tuple[str, ...], ...]  # per language that writes compounds
    explicit: tuple[tuple[str, ...], ...]
    labelled: tuple[tuple[str, ...], ...]
    signoff: tuple[tuple[str, ...], ...]
    openers: frozenset[str]
    copulas: frozenset[str]
    capitalised: tuple[tuple[str, ...], ...]
    listed: tuple[tuple[str, ...], ...]
    particles: frozenset[str]
    joiners: frozenset[str]
    surname_endings: tuple[str, ...]
    not_a_name: frozenset[str]
    written_not_a_name: frozenset[str]
    given_names: frozenset[str]
    platforms: tuple[tuple[str, ...], ...]
    with_colon: tuple[tuple[str, ...], ...]
    fillers: frozenset[str]
    naming: frozenset[str]
    units: frozenset[str]
    not_postcode_letters: frozenset[str]


def _per_language(section: dict[str, Iterable[str]]) -> dict[str, set[str]]:
    """Folded words of a per-language section (a mapping or a list per language)."""
    return {lang: {fold(str(word)) for word in words} for lang, words in section.items()}


def _values(section: dict[str, dict[str, int]]) -> dict[str, int]:
    return {
        fold(str(word)): int(value) for words in section.values() for word, value in words.items()
    }


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The word lists, read and folded once."""
    raw = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    numbers, names, social = raw["numbers"], raw["names"], raw["social"]
    given = [
        line.strip()
        for line in NAMES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    teen_after = _per_language(numbers["teen_after"])
    connector = _per_language(numbers["connector"])
    words_of = {
        lang: _per_language(numbers["additive"])[lang]
        | _per_language(numbers["multiplier"]).get(lang, set())
        | teen_after.get(lang, set())
        | connector.get(lang, set())
        for lang in numbers["additive"]
    }
    return Lexicon(
        additive=_values(numbers["additive"]),
        multiplier=_values(numbers["multiplier"]),
        teen_after=frozenset().union(*teen_after.values()),
        connector=frozenset().union(*connector.values()),
        not_alone=_keys(numbers["not_alone"]),
        # Longest first and at least two letters: splitting stays quick and never silly.
        compound_pieces=tuple(
            tuple(sorted((w for w in words_of[lang] if len(w) >= 2), key=len, reverse=True))
            for lang in numbers["compounds"]
        ),
        explicit=_phrases(names["explicit"]),
        labelled=_phrases(names["labelled"]),
        signoff=_phrases(names["signoff"]),
        openers=_keys(names["openers"]),
        copulas=_keys(names["copulas"]),
        capitalised=_phrases(names["capitalised"]),
        listed=_phrases(names["listed"]),
        particles=_keys(names["particles"]),
        joiners=_keys(names["joiners"]),
        surname_endings=tuple(fold(e) for e in names["surname_endings"]),
        not_a_name=_keys(names["not_a_name"]),
        written_not_a_name=frozenset(bare(w) for w in names["written_not_a_name"]),
        given_names=_keys(given),
        platforms=_phrases(social["platforms"]),
        with_colon=_phrases(social["with_colon"]),
        fillers=_keys(social["fillers"]),
        naming=_keys(social["naming"]),
        units=_keys(raw["units"]),
        not_postcode_letters=_keys(raw["not_postcode_letters"]),
    )


def bare(word: str) -> str:
    """``word`` as written, without Arabic harakat and tatweel (على stays على, not علي)."""
    return re.sub(r"[\u064b-\u065f\u0670\u0640\u200c]", "", unicodedata.normalize("NFKC", word))
