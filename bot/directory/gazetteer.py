"""Gazetteer: from what people type ("Lahey'de", "لاهه", "Rotterdm", "3512 AB") to a municipality.

Reference data lives in ``bot/directory/data``:

* ``municipalities.yml``: CBS code, official name, province, region and aliases per language:
  other spellings, nicknames and the municipality's towns and villages ("Hoofddorp", "زاندام").
* ``postcodes.csv``: ``pc4,municipality_code`` for the demo regions only (Amsterdam, Rotterdam,
  's-Gravenhage, Utrecht, Tilburg, Eindhoven, Groningen, Schiedam, Delft). A full national table
  (CBS "postcode-huisnummer-gemeente" or any ``pc4,gemeentecode`` export) is loaded with
  :func:`import_postcodes` / ``steunwijzer`` import commands; the bundled file never overwrites it.

:func:`load_reference_data` upserts all of it into the ``municipality``, ``municipality_alias`` and
``postcode`` tables (called by ``steunwijzer db upgrade`` and the test fixtures).
:class:`Gazetteer` is an immutable in-memory index built from those tables once and shared
between requests; :meth:`Gazetteer.resolve` handles a whole answer ("where do you live?"),
:meth:`Gazetteer.find_in_text` finds a place inside a sentence.

Matching happens on :func:`bot.text.normalize.fold` keys, so "'s-Gravenhage", "s gravenhage",
"أمستردام" and "امستردام" compare equal regardless of case, diacritics, hamza or keyboard.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import yaml
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.directory.models import Municipality, MunicipalityAlias, Postcode
from bot.text.normalize import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_FILE = DATA_DIR / "municipalities.yml"
POSTCODES_FILE = DATA_DIR / "postcodes.csv"

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
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
_GM_CODE = re.compile(r"^(?:gm)?(\d{1,4})$", re.IGNORECASE)

# Words before a place that make "this is a place" likely (folded). Needed for fuzzy matches and
# for names that are also ordinary words, which otherwise stay unmatched inside a sentence.
_CUES = frozenset(
    {
        # nl / en
        "in", "uit", "bij", "naar", "rond", "rondom", "omgeving", "regio", "gemeente", "buurt",
        "te", "van", "near", "from", "around",
        # fa (folded: ی→ي, ک→ك); تو/توی is colloquial "in" ("تو زاندام زندگی می‌کنم")
        "در", "از", "به", "نزديك", "شهر", "حوالي", "تو", "توي",
        # ar
        "في", "من", "قرب", "بمدينه", "مدينه", "بلديه", "منطقه",
    }
)  # fmt: skip
# Words just before four digits that say "postcode" (folded), and words after four digits that
# make them an amount. A bare number is otherwise a year, an amount or an age as often.
_POSTCODE_WORDS = frozenset(
    {
        "postcode", "pc", "zip", "kodu", "kodum", "kod", "kodumuz", "postakodu", "پستي", "پستيم",
        "پستيمون", "پستيه", "كدپستي", "البريدي", "بريدي", "الرمز", "الكود", "البوستكود",
        "بوستكود", "البوسطكود", "بوسطكود",
    }
)  # fmt: skip
_AMOUNTS = frozenset(
    {
        "euro", "euros", "eur", "lira", "tl", "dollar", "jaar", "yil", "yasinda", "km", "meter",
        "يورو", "اورو", "ليره", "درهم", "دينار", "تومان", "تومن", "سال", "سنه",
    }
)  # fmt: skip
_PC_LETTERS = re.compile(r"^[a-z]{2}$")

# Names (official or alias) that are also words: "een groep leiden" (to lead a group), Turkish
# "yardım ede...", "lente"/"I lent" (Lent, Nijmegen), "hoogland" (highlands), English "grouse"
# (Grou, cut to "grou"), Arabic بردا ("cold", also Persian for Breda) and بريدا ("mail", as in
# "بريدا إلكترونيا", also Arabic for Breda). They only match inside a sentence after a cue
# ("in Leiden") or alone.
_NEEDS_CUE = frozenset({"leiden", "ede", "lent", "hoogland", "grou", "بردا", "بريدا"})
# Keys that fold together with a common word of another script and count only when the text
# holds the place's own spelling: Persian آلمره (Almere) folds to Arabic المرة, "the time".
_OWN_SPELLING = {"المره": ("آلمره",)}
# Everyday words one edit away from a municipality or town name: never fuzzy-matched
# ("dingen"→Dongen, "regelen"→Tegelen, "van vijfduizend euro"→Vijfhuizen, Persian اندام "body"
# →زاندام, the Afghan province هلمند→Helmond, the name أميرة→Almere).
_NOT_PLACES = frozenset(
    {
        "dingen", "emmer", "brede", "houden", "lijden", "goud", "delen", "regelen", "penis",
        "vijfduizend", "اندام", "هلمند", "اميره",
    }
)  # fmt: skip
# Arabic nouns carry the article ال, and with it a great many are one letter away from Almere
# (الميره) or Alkmaar (الكمار): المرأة "the woman", المرة "the time", الكبار, الحمار. Arabic-script
# keys that start with it are never fuzzy-matched (exact aliases still are).
_ARTICLE = "ال"
# Turkish case endings after a place name ("Tilburg'da", "Lahey'den", "Utrecht'teyim") and Dutch
# adjective endings ("Rotterdamse"), longest first. Folding has already removed the apostrophe
# and the dots of ı/ü, so "'dayım" is "dayim".
_LATIN_SUFFIXES = (
    "dayim", "deyim", "tayim", "teyim", "daki", "deki", "taki", "teki", "dan", "den", "tan",
    "ten", "nin", "nun", "da", "de", "ta", "te", "ya", "ye", "li", "lu", "in", "un", "se",
    "a", "e", "i", "u", "s",
)  # fmt: skip
# Arabic letters attached in front of a word: wa- (and), bi- (in), li- (to), fa-, pairs, and the
# article al- alone or after them, which some writers put before a place. Aliases list bare names.
# Persian endings after a place name (folded: ی→ي): "I am" (-م, -يم, -ام), ezafe and "-ه".
_PERSIAN_SUFFIXES = ("يم", "ام", "م", "ي", "ه")
_ARABIC_PREFIXES = ("وبال", "وال", "بال", "فال", "ال", "وب", "ول", "وفي", "و", "ب", "ل", "ف")


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


@dataclass(frozen=True, slots=True)
class MunicipalityRecord:
    """One municipality of ``municipalities.yml``; ``aliases`` are (alias, language) pairs."""

    code: str
    name: str
    province: str | None
    region: str | None
    aliases: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class PostcodeRowError:
    """A row of a postcode file that could not be imported."""

    line: int
    row: str
    reason: str


class PostcodeImportError(ValueError):
    """Raised by :func:`import_postcodes` when any row is bad; nothing was written."""

    def __init__(self, errors: Sequence[PostcodeRowError]) -> None:
        self.errors = tuple(errors)
        shown = "; ".join(f"line {e.line}: {e.reason} ({e.row!r})" for e in self.errors[:10])
        more = f" (and {len(self.errors) - 10} more)" if len(self.errors) > 10 else ""
        super().__init__(f"{len(self.errors)} bad postcode rows, nothing imported: {shown}{more}")


# --------------------------------------------------------------------------- bundled data


@lru_cache(maxsize=1)
def bundled_municipalities() -> tuple[MunicipalityRecord, ...]:
    """The municipalities of ``municipalities.yml`` (parsed once)."""
    raw = yaml.safe_load(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
    records = []
    for item in raw["municipalities"]:
        aliases = tuple(
            (str(alias), str(lang))
            for lang, names in (item.get("aliases") or {}).items()
            for alias in names
        )
        records.append(
            MunicipalityRecord(
                code=item["code"],
                name=item["name"],
                province=item.get("province"),
                region=item.get("region"),
                aliases=aliases,
            )
        )
    return tuple(records)


@lru_cache(maxsize=1)
def bundled_postcodes() -> tuple[tuple[str, str], ...]:
    """The (pc4, municipality code) pairs of ``postcodes.csv`` (parsed once)."""
    with POSTCODES_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple((row["pc4"], row["municipality_code"]) for row in csv.DictReader(fh))


def _alias_rows(record: MunicipalityRecord) -> list[dict[str, str]]:
    """Alias rows of one municipality: its official name first, one row per folded key."""
    rows: dict[str, dict[str, str]] = {}
    for alias, language in ((record.name, "nl"), *record.aliases):
        key = fold(alias)
        if key and key not in rows:  # first language wins when scripts fold together
            rows[key] = {
                "municipality_code": record.code,
                "alias": alias,
                "folded": key,
                "language": language,
            }
    return list(rows.values())


def load_reference_data(session: Session) -> None:
    """Upsert the bundled municipalities, aliases and postcodes (idempotent).

    Inserts what is missing and updates changed municipality names, provinces and regions; it
    never deletes anything, and bundled postcodes never overwrite an imported full table. When
    everything is loaded already this costs three small SELECTs and no writes.
    """
    records = bundled_municipalities()
    existing = {
        m.code: (m.name, m.province, m.region)
        for m in session.execute(
            select(Municipality.code, Municipality.name, Municipality.province, Municipality.region)
        )
    }
    new = [r for r in records if r.code not in existing]
    changed = [
        r
        for r in records
        if r.code in existing and existing[r.code] != (r.name, r.province, r.region)
    ]
    if new:
        session.execute(
            insert(Municipality),
            [
                {"code": r.code, "name": r.name, "province": r.province, "region": r.region}
                for r in new
            ],
        )
    if changed:
        session.execute(
            update(Municipality),
            [
                {"code": r.code, "name": r.name, "province": r.province, "region": r.region}
                for r in changed
            ],
        )

    have_aliases = set(
        session.execute(select(MunicipalityAlias.folded, MunicipalityAlias.municipality_code))
    )
    alias_rows = [
        row
        for record in records
        for row in _alias_rows(record)
        if (row["folded"], row["municipality_code"]) not in have_aliases
    ]
    if alias_rows:
        session.execute(insert(MunicipalityAlias), alias_rows)

    have_pc4 = set(session.scalars(select(Postcode.pc4)))
    pc_rows = [
        {"pc4": pc4, "municipality_code": code}
        for pc4, code in bundled_postcodes()
        if pc4 not in have_pc4
    ]
    if pc_rows:
        session.execute(insert(Postcode), pc_rows)
    session.flush()


def _normalise_code(value: str) -> str | None:
    """``GM0363``, ``gm363``, ``0363`` and ``363`` all become ``GM0363``."""
    match = _GM_CODE.match(value.strip())
    return f"GM{int(match.group(1)):04d}" if match else None


def import_postcodes(session: Session, path: str | Path) -> int:
    """Import a full ``pc4 → municipality`` table from a CSV file; returns the number of rows.

    The file has a header with ``pc4`` and either ``municipality_code`` (``GM0363``, ``0363``)
    or ``municipality`` (a name or alias the gazetteer knows, e.g. ``Den Haag``). All or
    nothing: every row is checked first and, if any is bad, :class:`PostcodeImportError` lists
    the bad rows and nothing is written. Existing postcodes are updated, others inserted; the
    caller's transaction commits.
    """
    known_codes = set(session.scalars(select(Municipality.code)))
    by_alias = {
        folded: code
        for folded, code in session.execute(
            select(MunicipalityAlias.folded, MunicipalityAlias.municipality_code)
        )
    }
    errors: list[PostcodeRowError] = []
    wanted: dict[str, str] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = {h.strip().lower() for h in reader.fieldnames or ()}
        if "pc4" not in header or not header & {"municipality_code", "municipality"}:
            raise PostcodeImportError(
                [PostcodeRowError(1, ",".join(reader.fieldnames or ()),
                                  "header needs pc4 and municipality_code or municipality")]
            )  # fmt: skip
        for line, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            shown = ",".join(raw.get(k) or "" for k in reader.fieldnames or ())
            pc4 = row.get("pc4", "").replace(" ", "")[:4] if row.get("pc4") else ""
            if not re.fullmatch(r"[1-9]\d{3}", pc4):
                errors.append(PostcodeRowError(line, shown, "pc4 is not four digits 1000-9999"))
                continue
            if row.get("municipality_code"):
                code = _normalise_code(row["municipality_code"])
                if code is None or code not in known_codes:
                    errors.append(PostcodeRowError(line, shown, "unknown municipality code"))
                    continue
            else:
                code = by_alias.get(fold(row.get("municipality", "")))
                if code is None:
                    errors.append(PostcodeRowError(line, shown, "unknown municipality name"))
                    continue
            if wanted.get(pc4, code) != code:
                errors.append(
                    PostcodeRowError(line, shown, "pc4 listed twice with different municipalities")
                )
                continue
            wanted[pc4] = code
    if errors:
        raise PostcodeImportError(errors)

    # Comprehensions, not dict(result): a Result has .keys() and would be read as a mapping.
    current = {
        pc4: code for pc4, code in session.execute(select(Postcode.pc4, Postcode.municipality_code))
    }
    inserts = [{"pc4": p, "municipality_code": c} for p, c in wanted.items() if p not in current]
    updates = [
        {"pc4": p, "municipality_code": c}
        for p, c in wanted.items()
        if p in current and current[p] != c
    ]
    if inserts:
        session.execute(insert(Postcode), inserts)
    if updates:
        session.execute(update(Postcode), updates)
    session.flush()
    return len(wanted)


# --------------------------------------------------------------------------- the index


@dataclass(frozen=True, slots=True)
class _Token:
    """A folded word of the input; ``suffixed`` when it carried a Turkish 'suffix."""

    text: str
    suffixed: bool = False


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
        if len(key.replace(" ", "")) < FUZZY_MIN_LENGTH or key in _NOT_PLACES:
            return None
        if key.startswith(_ARTICLE):
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

    @staticmethod
    def _variants(key: str) -> list[str]:
        """``key`` with a Turkish/Dutch ending cut from its last word ("laheyde" → "lahey") or
        an attached Arabic prefix cut from its first word ("بروتردام" → "روتردام").

        Only used for exact lookups: a cut is accepted only when the rest is a known alias.
        """
        words = key.split(" ")
        head, last = words[:-1], words[-1]
        variants = []
        if not _ARABIC_SCRIPT.search(last):
            variants += [
                " ".join([*head, last[: -len(s)]])
                for s in _LATIN_SUFFIXES
                if last.endswith(s) and len(last) - len(s) >= 3
            ]
        else:
            # Persian endings: "ساکن آمرسفورتم" (I live in Amersfoort), "تو روتردامیم".
            variants += [
                " ".join([*head, last[: -len(s)]])
                for s in _PERSIAN_SUFFIXES
                if last.endswith(s) and len(last) - len(s) >= 3
            ]
        first, tail = words[0], words[1:]
        if _ARABIC_SCRIPT.search(first):
            # A prefix may leave a short first word of a longer name: "بدن هاخ" → "دن هاخ".
            shortest = 2 if tail else 3
            variants += [
                " ".join([first[len(p) :], *tail])
                for p in _ARABIC_PREFIXES
                if first.startswith(p) and len(first) - len(p) >= shortest
            ]
        return variants

    def resolve(self, text: str) -> PlaceMatch | None:
        """Resolve a whole answer to "where?": exact alias → postcode → fuzzy, else None.

        Accepts "Den Haag", "لاهه", "Lahey'de", "5038", "3512 AB", "3512AB" and typos such as
        "Rotterdm"; returns None for anything that is not clearly a known municipality.
        """
        key = fold(text)
        if not key:
            return None
        for candidate in (key, *self._variants(key)):
            if (hit := self._exact(candidate)) and _spelled_as_place(hit, text):
                return hit
        if pc := _PC4.match(key):
            return self._postcode(pc.group(1), key)
        if not _LETTERS_ONLY.match(key.replace(" ", "")):
            return None  # digits or symbols: never fuzzy ("1234", a mobile number)
        return self._fuzzy(key)

    def _tokens(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        for word in text.split():
            # Turkish writes case endings after an apostrophe: "Lahey'de", "Den Haag'dan".
            # Split before folding (fold drops the apostrophe); a leading one is Dutch ('s-).
            apos = re.search(r"(?<=\w)['’](\w{1,6})\W*$", word)
            if apos and fold(word) not in self.aliases:  # "R'dam" is a name, not R + 'dam
                parts = fold(word[: apos.start()]).split()
                tokens += [_Token(p) for p in parts[:-1]]
                if parts:
                    tokens.append(_Token(parts[-1], suffixed=True))
                continue
            tokens += [_Token(p) for p in fold(word).split()]
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
                (start > 0 and tokens[start - 1].text in _CUES)
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
            for candidate in (key, *self._variants(key)):
                hit = self._exact(candidate)
                cue_ok = hit is not None and (hit.matched not in _NEEDS_CUE or cued(start, end))
                if hit is not None and cue_ok and _spelled_as_place(hit, text):
                    return hit
        for index, token in enumerate(tokens):
            pc = _PC4_TOKEN.match(token.text)
            if pc and _said_as_postcode(tokens, index, pc) and (
                hit := self._postcode(pc.group(1), token.text)
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


def _spelled_as_place(hit: PlaceMatch, text: str) -> bool:
    """False when ``hit`` is a key of :data:`_OWN_SPELLING` and the text lacks that spelling."""
    spellings = _OWN_SPELLING.get(hit.matched)
    if spellings is None:
        return True
    raw = unicodedata.normalize("NFC", text)
    return any(spelling in raw for spelling in spellings)


def _said_as_postcode(tokens: Sequence[_Token], index: int, pc: re.Match[str]) -> bool:
    """Whether the four digits at ``index`` are a postcode rather than a year or an amount:
    with its two letters ("3512 AB"), alone, next to a postcode word ("postcode 5038", "5038 is
    mijn postcode"), or after
    a place word ("in de buurt van 5038") when it is no year-like number and no amount
    follows ("in 2023", "1200 euro" are not places)."""
    after = tokens[index + 1].text if index + 1 < len(tokens) else ""
    before = tokens[index - 1].text if index > 0 else ""
    if pc.group(2) or (_PC_LETTERS.match(after) and after not in _AMOUNTS):
        return True
    near = tokens[max(0, index - 2) : index] + tokens[index + 1 : index + 4]
    named = {t.text for t in near} & _POSTCODE_WORDS
    if len(tokens) == 1 or named:  # "postcode 5038", "mijn postcode is 5038"
        return True
    year_like = 1900 <= int(pc.group(1)) <= 2099
    return before in _CUES and not year_like and after not in _AMOUNTS


@lru_cache(maxsize=1)
def _bundled_gazetteer() -> Gazetteer:
    records = bundled_municipalities()
    return Gazetteer.build(
        ((r.code, r.name, r.region) for r in records),
        ((row["folded"], row["municipality_code"]) for r in records for row in _alias_rows(r)),
        bundled_postcodes(),
    )


def resolve_place(session: Session, text: str) -> PlaceMatch | None:
    """Resolve ``text`` as a whole answer, else look for a place inside it.

    Convenience for one-off use: it loads a :class:`Gazetteer` each call. Long-lived callers
    (the bot, the dashboard) should keep one ``Gazetteer.load(session)`` and reuse it.
    """
    gazetteer = Gazetteer.load(session)
    return gazetteer.resolve(text) or gazetteer.find_in_text(text)
