"""The in-memory index that matches names, aliases, postcodes and typos to a municipality."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory.gazetteer.cues import (
    ARTICLE,
    CUES,
    NEEDS_CUE,
    NOT_PLACES,
    Token,
    said_as_postcode,
    spelled_as_place,
)
from bot.directory.gazetteer.inflection import variants
from bot.directory.gazetteer.reference import (
    alias_rows_of,
    bundled_municipalities,
    bundled_postcodes,
)
from bot.directory.models import Municipality, MunicipalityAlias, Postcode
from bot.text.normalize import fold

MatchMethod = Literal["name", "alias", "postcode", "fuzzy"]

#: Minimum Damerau-Levenshtein similarity (1 - edits / longer length) for a fuzzy match.
#: 0.8 allows one edit (a transposition counts as one) per five letters: "Tilbrug", "Utreht",
#: "Rotterdm", "امستردم" pass; "lijden"→Leiden (0.67) and "Rome", "Parijs", "hello" do not.
FUZZY_CUTOFF = 0.8
#: Shortest key (letters, without spaces) that may be fuzzy-matched. Four-letter words are one
#: insertion away from five-letter names ("goud"→Gouda), so they must match exactly.
FUZZY_MIN_LENGTH = 5

_PC4 = re.compile(r"^([1-9]\d{3})\s?([a-z]{2})?$")
_PC4_TOKEN = re.compile(r"^([1-9]\d{3})([a-z]{2})?$")
_LETTERS_ONLY = re.compile(r"^[^\W\d_]+$")


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A resolved place: the municipality and how it was recognised.

    ``matched`` is the folded fragment of the input that matched; ``score`` is 1.0 for exact
    and postcode matches and the similarity (0.8–1.0) for fuzzy ones.
    """

    code: str
    name: str
    matched: str
    method: MatchMethod
    score: float


def _frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Immutable index of municipalities, aliases and postcodes; build with :meth:`load`.

    Safe to share between requests and threads: nothing in it changes after construction.
    """

    names: Mapping[str, str]
    regions: Mapping[str, str | None]
    aliases: Mapping[str, str]  # folded alias → municipality code
    postcodes: Mapping[str, str]  # pc4 → municipality code
    official: frozenset[str] = field(default=frozenset())  # folded official names
    _choices: tuple[str, ...] = field(default=(), repr=False)
    _choice_codes: tuple[str, ...] = field(default=(), repr=False)
    _max_words: int = 3

    @classmethod
    def build(
        cls,
        municipalities: Iterable[tuple[str, str, str | None]],
        aliases: Iterable[tuple[str, str]],
        postcodes: Iterable[tuple[str, str]],
    ) -> Gazetteer:
        """Build from (code, name, region), (folded alias, code) and (pc4, code) rows."""
        names: dict[str, str] = {}
        regions: dict[str, str | None] = {}
        for code, name, region in municipalities:
            names[code] = name
            regions[code] = region
        official = frozenset(fold(n) for n in names.values())
        index: dict[str, str] = {fold(name): code for code, name in names.items()}
        for folded, code in sorted(aliases):
            # An alias two municipalities share goes to the one whose official name it is,
            # otherwise to the first code in sort order (deterministic).
            index.setdefault(folded, code)
        choices = tuple(sorted(index))
        return cls(
            names=_frozen(names),  # type: ignore[arg-type]
            regions=_frozen(regions),  # type: ignore[arg-type]
            aliases=_frozen(index),  # type: ignore[arg-type]
            postcodes=_frozen({pc4: code for pc4, code in postcodes}),  # type: ignore[arg-type]
            official=official,
            _choices=choices,
            _choice_codes=tuple(index[c] for c in choices),
            _max_words=max((c.count(" ") + 1 for c in choices), default=1),
        )

    @classmethod
    def load(cls, session: Session) -> Gazetteer:
        """Build the index from the database tables (a few milliseconds; do it once)."""
        return cls.build(
            session.execute(
                select(Municipality.code, Municipality.name, Municipality.region)
            ).tuples(),
            session.execute(
                select(MunicipalityAlias.folded, MunicipalityAlias.municipality_code)
            ).tuples(),
            session.execute(select(Postcode.pc4, Postcode.municipality_code)).tuples(),
        )

    @classmethod
    def bundled(cls) -> Gazetteer:
        """The index of the bundled reference data, without a database (tools and tests)."""
        return _bundled_gazetteer()

    # ----------------------------------------------------------------- lookups

    def name_of(self, code: str) -> str | None:
        """Official name of a municipality code, or None."""
        return self.names.get(code)

    def region_of(self, code: str) -> str | None:
        """Region of a municipality code, or None."""
        return self.regions.get(code)

    def region_codes(self, code: str) -> tuple[str, ...]:
        """The *other* municipalities in the same region as ``code`` (sorted)."""
        region = self.regions.get(code)
        if not region:
            return ()
        return tuple(sorted(c for c, r in self.regions.items() if r == region and c != code))

    def _exact(self, key: str) -> PlaceMatch | None:
        code = self.aliases.get(key)
        if code is None:
            return None
        method: MatchMethod = "name" if key == fold(self.names[code]) else "alias"
        return PlaceMatch(code, self.names[code], key, method, 1.0)

    def _postcode(self, pc4: str, matched: str) -> PlaceMatch | None:
        code = self.postcodes.get(pc4)
        if code is None:
            return None
        return PlaceMatch(code, self.names[code], matched, "postcode", 1.0)

    def _fuzzy(self, key: str) -> PlaceMatch | None:
        if len(key.replace(" ", "")) < FUZZY_MIN_LENGTH or key in NOT_PLACES:
            return None
        if key.startswith(ARTICLE):
            return None
        best = process.extractOne(
            key,
            self._choices,
            scorer=DamerauLevenshtein.normalized_similarity,
            processor=None,
            score_cutoff=FUZZY_CUTOFF,
        )
        if best is None:
            return None
        _choice, score, index = best
        code = self._choice_codes[index]
        return PlaceMatch(code, self.names[code], key, "fuzzy", round(float(score), 4))

    def resolve(self, text: str) -> PlaceMatch | None:
        """Resolve a whole answer to "where?": exact alias → postcode → fuzzy, else None.

        Accepts "Den Haag", "لاهه", "Lahey'de", "5038", "3512 AB", "3512AB" and typos such as
        "Rotterdm"; returns None for anything that is not clearly a known municipality.
        """
        key = fold(text)
        if not key:
            return None
        for candidate in (key, *variants(key)):
            if (hit := self._exact(candidate)) and spelled_as_place(hit.matched, text):
                return hit
        if pc := _PC4.match(key):
            return self._postcode(pc.group(1), key)
        if not _LETTERS_ONLY.match(key.replace(" ", "")):
            return None  # digits or symbols: never fuzzy ("1234", a mobile number)
        return self._fuzzy(key)

    def _tokens(self, text: str) -> list[Token]:
        tokens: list[Token] = []
        for word in text.split():
            # Turkish writes case endings after an apostrophe: "Lahey'de", "Den Haag'dan".
            # Split before folding (fold drops the apostrophe); a leading one is Dutch ('s-).
            apos = re.search(r"(?<=\w)['’](\w{1,6})\W*$", word)
            if apos and fold(word) not in self.aliases:  # "R'dam" is a name, not R + 'dam
                parts = fold(word[: apos.start()]).split()
                tokens += [Token(p) for p in parts[:-1]]
                if parts:
                    tokens.append(Token(parts[-1], suffixed=True))
                continue
            tokens += [Token(p) for p in fold(word).split()]
        return tokens

    def find_in_text(self, text: str) -> PlaceMatch | None:
        """Find a municipality mentioned in a sentence, or None.

        Checks 3-, 2- and 1-word windows of the folded text. Exact alias matches win (longest
        window first, then the earliest), also with a Turkish ending ("Tilburg'da",
        "Laheyde") or an attached Arabic prefix ("بروتردام"); then a 4-digit postcode; then
        fuzzy matches, but only on windows of at least five letters that follow a cue word
        ("in", "در", "في"…), carry a Turkish 'ending or are the whole message, so that ordinary
        words are not mistaken for places.
        """
        tokens = self._tokens(text)
        if not tokens:
            return None
        count = len(tokens)

        def cued(start: int, end: int) -> bool:
            return (
                (start > 0 and tokens[start - 1].text in CUES)
                or tokens[end - 1].suffixed
                or (start == 0 and end == count)
            )

        windows = [
            (start, start + n)
            for n in range(min(self._max_words, count), 0, -1)
            for start in range(count - n + 1)
        ]
        for start, end in windows:
            key = " ".join(t.text for t in tokens[start:end])
            for candidate in (key, *variants(key)):
                hit = self._exact(candidate)
                cue_ok = hit is not None and (hit.matched not in NEEDS_CUE or cued(start, end))
                if hit is not None and cue_ok and spelled_as_place(hit.matched, text):
                    return hit
        for index, token in enumerate(tokens):
            pc = _PC4_TOKEN.match(token.text)
            if (
                pc
                and said_as_postcode(tokens, index, pc)
                and (hit := self._postcode(pc.group(1), token.text))
            ):
                return hit
        best: PlaceMatch | None = None
        for start, end in windows:
            key = " ".join(t.text for t in tokens[start:end])
            if not cued(start, end) or not _LETTERS_ONLY.match(key.replace(" ", "")):
                continue
            hit = self._fuzzy(key)
            if hit and (best is None or hit.score > best.score):
                best = hit
        return best


@lru_cache(maxsize=1)
def _bundled_gazetteer() -> Gazetteer:
    records = bundled_municipalities()
    return Gazetteer.build(
        ((r.code, r.name, r.region) for r in records),
        ((row["folded"], row["municipality_code"]) for r in records for row in alias_rows_of(r)),
        bundled_postcodes(),
    )


def resolve_place(session: Session, text: str) -> PlaceMatch | None:
    """Resolve ``text`` as a whole answer, else look for a place inside it.

    Convenience for one-off use: it loads a :class:`Gazetteer` each call. Long-lived callers
    (the bot, the dashboard) should keep one ``Gazetteer.load(session)`` and reuse it.
    """
    gazetteer = Gazetteer.load(session)
    return gazetteer.resolve(text) or gazetteer.find_in_text(text)
