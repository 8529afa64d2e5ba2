"""Remove personal data from text a citizen sends to a coordinator (privacy.md).

What is found, and how:

* **Numbers however written.** The text is first read into a *digit view*: Persian and
  Arabic-Indic digits become ASCII digits, and runs of number words in Dutch, English, Turkish,
  Persian and Arabic ("nul zes twaalf…", "sıfır beş yüz otuz iki…", "صفر شش…", "صفر ستة…")
  become the digits they spell. Every number pattern below runs on that view, and what it finds
  is mapped back to the citizen's own words.
* **Phone numbers** with ``phonenumbers`` (Dutch region by default, international numbers too)
  and, for groupings it does not know, any run of 9 to 15 digits; dates ("12-03-2025") and
  times ("19:30") are never read as phone numbers. A spelled-out run of several number groups
  with six digits or more is a phone number too, even when no pattern knows its format.
* **IBAN and BSN** are checked with ``python-stdnum`` so that ordinary numbers stay; an IBAN may
  be split by spaces, dashes or dots anywhere ("NL91 ABNA …", in groups of four).
* **E-mail** also when written out ("fatima [at] gmail [dot] com", "fatima at gmail punt com",
  "fatima(at)gmail.com"); **URLs**, **Telegram links**, **@handles** and handles after a social
  network's name ("insta: fatma.yilmaz_90", "mijn snap is fatma90", "آیدی اینستاگرامم …").
* **Addresses**: a Dutch postcode (also "3512-AB"), a street with its house number (also with a
  Turkish case ending, "Kerkstraat'ta 12", "Kerkstraat 12'de", or a number in words), and a
  number after "huisnummer", "پلاک", "رقم المنزل"…
* **Names** after a phrase that introduces one ("ik heet", "mijn naam is", "adım", "ismim",
  "اسم من", "اسمم", "نامم", "اسمي"); after the weaker "ik ben" / "ben ik" only a capitalised
  word that is not a nationality or the like ("ik ben moe" and "ik ben Marokkaans" stay), and
  after Turkish "ben", Persian "من" or Arabic "انا" only a known given name.

Word lists live in ``data/scrub_words.yml`` and ``data/given_names.txt``; matching uses
:func:`bot.text.normalize.fold` keys. :func:`scrub` reports the kind of every replacement.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers
import yaml
from stdnum import iban
from stdnum.nl import bsn

from bot.text.normalize import fold

PLACEHOLDERS = {
    "phone": "[phone]",
    "email": "[e-mail]",
    "iban": "[IBAN]",
    "bsn": "[BSN]",
    "address": "[address]",
    "url": "[link]",
    "handle": "[@name]",
    "name": "[name]",
}

DATA_DIR = Path(__file__).resolve().parent / "data"
WORDS_FILE = DATA_DIR / "scrub_words.yml"
NAMES_FILE = DATA_DIR / "given_names.txt"


@dataclass(frozen=True)
class Scrubbed:
    """The cleaned text and what kinds of data were removed."""

    text: str
    removed: tuple[str, ...]


# --------------------------------------------------------------------------- word lists
def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(str(word)) for word in words)


def _phrases(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    # Longest first, so "benim adım" wins over "adım" and "انا اسمي" over "انا".
    keyed = {tuple(fold(phrase).split()) for phrase in phrases}
    return tuple(sorted(keyed, key=len, reverse=True))


@dataclass(frozen=True)
class _Lexicon:
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
def _lexicon() -> _Lexicon:
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
    return _Lexicon(
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
        written_not_a_name=frozenset(_bare(w) for w in names["written_not_a_name"]),
        given_names=_keys(given),
        platforms=_phrases(social["platforms"]),
        with_colon=_phrases(social["with_colon"]),
        fillers=_keys(social["fillers"]),
        naming=_keys(social["naming"]),
        units=_keys(raw["units"]),
        not_postcode_letters=_keys(raw["not_postcode_letters"]),
    )


def _bare(word: str) -> str:
    """``word`` as written, without Arabic harakat and tatweel (على stays على, not علي)."""
    return re.sub(r"[\u064b-\u065f\u0670\u0640\u200c]", "", unicodedata.normalize("NFKC", word))


# --------------------------------------------------------------------------- tokens
# A word: letters (any script, with Arabic harakat, tatweel and ZWNJ inside), digits after the
# first letter ("fatma90"), and apostrophes or hyphens between letters ("Ayşe'nin", "El-Amrani").
_MARKS = "\u064b-\u065f\u0670\u0640\u200c"
_WORD = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])(?:[\w{_MARKS}]|['’\-](?=[^\W\d_]))*")
# Letters only: number words are split at hyphens ("vier-en-dertig", "twenty-five").
_LETTERS = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class _Token:
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


def _tokens(text: str, pattern: re.Pattern[str] = _WORD) -> list[_Token]:
    tokens = []
    for match in pattern.finditer(text):
        raw = match.group(0)
        stem = re.split(r"['’]", raw, maxsplit=1)[0]
        tokens.append(_Token(match.start(), match.end(), raw, fold(stem)))
    return tokens


def _match_phrase(
    tokens: Sequence[_Token], i: int, phrases: Sequence[tuple[str, ...]], text: str
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


# --------------------------------------------------------------------------- spans
@dataclass
class _Span:
    start: int
    end: int
    kind: str
    order: int  # when it was found: earlier finders are more specific


class _Spans:
    """Found spans of the original text.

    Finders run most specific first (an e-mail address before the link inside it); a later find
    that overlaps earlier ones merges with them into one span that keeps the earliest kind, so
    no part of either is left behind.
    """

    def __init__(self) -> None:
        self._spans: list[_Span] = []
        self._found = 0

    def add(self, start: int, end: int, kind: str) -> None:
        if end <= start:
            return
        merged = _Span(start, end, kind, self._found)
        self._found += 1
        while overlapping := [
            s for s in self._spans if s.start < merged.end and merged.start < s.end
        ]:
            earliest = min(overlapping, key=lambda span: span.order)
            merged.kind, merged.order = earliest.kind, earliest.order
            merged.start = min(merged.start, *(s.start for s in overlapping))
            merged.end = max(merged.end, *(s.end for s in overlapping))
            self._spans = [s for s in self._spans if s not in overlapping]
        self._spans.append(merged)

    def apply(self, text: str) -> Scrubbed:
        out: list[str] = []
        kinds: list[str] = []
        pos = 0
        for span in sorted(self._spans, key=lambda span: span.start):
            out += [text[pos : span.start], PLACEHOLDERS[span.kind]]
            kinds.append(span.kind)
            pos = span.end
        out.append(text[pos:])
        return Scrubbed(text="".join(out), removed=tuple(kinds))


# --------------------------------------------------------------------------- number words
@dataclass(frozen=True)
class _NumberRun:
    start: int
    end: int
    digits: str
    groups: int


def _split_compound(key: str, lexicon: _Lexicon) -> list[str] | None:
    """Split a word written as one ("vierendertig", "yirmibeş", "ثلاثمائة") into number words.

    All pieces come from one language, and a connector neither starts nor ends the word
    ("achten", to respect, is not acht + en).
    """
    for pieces in lexicon.compound_pieces:
        best: list[str] | None = None

        def walk(rest: str, acc: list[str], pieces: tuple[str, ...] = pieces) -> None:
            nonlocal best
            if len(acc) > 6 or (best is not None and len(acc) >= len(best)):
                return
            if not rest:
                if acc[0] not in lexicon.connector and acc[-1] not in lexicon.connector:
                    best = list(acc)
                return
            for piece in pieces:
                if rest.startswith(piece):
                    walk(rest[len(piece) :], [*acc, piece])

        walk(key, [])
        if best:
            return best
    return None


def _number_items(key: str, lexicon: _Lexicon) -> list[tuple[str, int]] | None:
    """A word as number items: ("n", value), ("m", multiplier), ("t", 10), ("c", 0) for "and"."""

    def item(word: str) -> tuple[str, int]:
        if word in lexicon.connector:
            return ("c", 0)
        if word in lexicon.teen_after:
            return ("t", 10)
        if word in lexicon.multiplier:
            return ("m", lexicon.multiplier[word])
        return ("n", lexicon.additive[word])

    known = set(lexicon.additive) | set(lexicon.multiplier) | lexicon.teen_after
    if key in known or key in lexicon.connector:
        return [item(key)]
    # Arabic "و" written onto the next number ("وعشرون", "وخمسة").
    if key.startswith("\u0648") and key[1:] in known:
        return [("c", 0), item(key[1:])]
    parts = _split_compound(key, lexicon)
    return [item(part) for part in parts] if parts else None


def _read_groups(items: Sequence[tuple[str, int]]) -> list[int]:
    """Read number items as spoken number groups: "nul zes twaalf" → [0, 6, 12].

    A new group starts when a word cannot continue the current number ("twaalf vierendertig",
    "beş yüz otuz iki yüz…"), so a phone number read in pairs or triples keeps its digits while
    an amount or a year stays one number ("iki bin yirmi beş" → [2025]).
    """
    groups: list[int] = []
    cur: int | None = None
    last = 0
    joined = False
    for kind, value in items:
        if kind == "c":
            joined = True
            continue
        if kind == "t" and cur is not None and 1 <= last <= 9 and cur % 100 == last:
            cur += 10  # Arabic teen: ثلاثة عشر
            last = cur % 100
        elif kind == "m":
            if cur is None:
                cur = value
            elif value == 100 and 0 < cur % 1000 < 100:
                low = cur % 1000
                cur = cur - low + low * 100
            elif value == 100 and cur % 1000 == 0:
                cur += 100
            elif value == 1000 and cur < 1000:
                cur *= 1000
            else:
                groups.append(cur)
                cur = value
            last = value
        else:
            if kind == "t":
                value = 10
            if value == 0:
                if cur is not None:
                    groups.append(cur)
                groups.append(0)
                cur, last = None, 0
            elif cur is None:
                cur, last = value, value
            elif _continues(cur, last, value, joined):
                cur, last = cur + value, value
            else:
                groups.append(cur)
                cur, last = value, value
        joined = False
    if cur is not None:
        groups.append(cur)
    return groups


def _continues(cur: int, last: int, value: int, joined: bool) -> bool:
    if cur >= 1000 and cur % 1000 == 0 and value < 1000:
        return True
    if cur >= 100 and cur % 100 == 0 and value < 100:
        return True
    if cur % 10 == 0 and 10 <= last < 100 and cur % 100 == last and value < 10:
        return True  # tens then a unit: "yirmi beş", "بیست و پنج"
    # A unit, "and", then tens: Dutch "vier en dertig", Arabic "أربعة وثلاثون".
    return joined and 1 <= last <= 9 and cur % 100 == last and value % 10 == 0 and 20 <= value <= 90


_RUN_GAP = re.compile(r"\s*[,.\-–—/]?\s*")


def _number_runs(text: str, lexicon: _Lexicon) -> list[_NumberRun]:
    """Runs of number words in ``text`` with the digits they spell."""
    runs: list[_NumberRun] = []
    current: list[tuple[_Token, list[tuple[str, int]]]] = []

    def close() -> None:
        # A run neither starts nor ends with "and".
        while current and all(kind == "c" for kind, _ in current[-1][1]):
            current.pop()
        while current and all(kind == "c" for kind, _ in current[0][1]):
            current.pop(0)
        if current:
            items = [item for _, token_items in current for item in token_items]
            words = sum(1 for kind, _ in items if kind != "c")
            alone = len(current) == 1 and current[0][0].key in lexicon.not_alone
            if words and not alone:
                groups = _read_groups(items)
                runs.append(
                    _NumberRun(
                        start=current[0][0].start,
                        end=current[-1][0].end,
                        digits="".join(str(g) for g in groups),
                        groups=len(groups),
                    )
                )
        current.clear()

    for token in _tokens(text, _LETTERS):
        items = _number_items(token.key, lexicon)
        if (
            items is not None
            and current
            and not _RUN_GAP.fullmatch(text[current[-1][0].end : token.start])
        ):
            close()
        if items is None:
            close()
        else:
            current.append((token, items))
    close()
    return runs


# --------------------------------------------------------------------------- digit view
class _View:
    """The text with every number written in ASCII digits, and a map back to the original."""

    def __init__(self, text: str, runs: Sequence[_NumberRun]) -> None:
        chars: list[str] = []
        origin: list[tuple[int, int]] = []
        pos = 0
        for run in runs:
            self._copy(text, pos, run.start, chars, origin)
            for digit in run.digits:
                chars.append(digit)
                origin.append((run.start, run.end))
            pos = run.end
        self._copy(text, pos, len(text), chars, origin)
        self.text = "".join(chars)
        self._origin = origin

    @staticmethod
    def _copy(
        text: str, start: int, end: int, chars: list[str], origin: list[tuple[int, int]]
    ) -> None:
        for i in range(start, end):
            ch = text[i]
            value = unicodedata.decimal(ch, None)
            chars.append(str(value) if value is not None else ch)
            origin.append((i, i + 1))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that view characters ``start:end`` came from."""
        pieces = self._origin[start:end]
        return min(p[0] for p in pieces), max(p[1] for p in pieces)


# --------------------------------------------------------------------------- patterns
_TLDS = (
    r"com|nl|net|org|be|de|tr|ir|eu|info|co|uk|fr|ma|io|edu|me|af|sy|iq|ae|sa|eg|dz|tn|ly|jo"
    r"|lb|ps|er|so|ru|us|biz|online|کام|كوم|کوم|كام"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_AT = r"(?:\s*@\s*|\s*[\[({<]\s*(?:at|et|@|ات|آت)\s*[\])}>]\s*|\s+(?:at|et|ات|آت|اَت)\s+)"
_DOT = (
    r"(?:\s*\.\s*|\s*[\[({<]\s*(?:dot|punt|nokta|point|دات|دوت|نقطه|نقطة)\s*[\])}>]\s*"
    r"|\s+(?:dot|punt|nokta|point|دات|دوت|نقطه|نقطة)\s+)"
)
_LOCAL = r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._+-]*"
# "fatima [at] gmail [dot] com", "fatima at gmail punt com", "fatima(at)gmail.com"
_SPELLED_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*?{_DOT}(?:{_TLDS})(?![\w])",
    re.IGNORECASE,
)
# "fatima@gmail", "fatima at hotmail": a known mail provider without the ending.
_PROVIDER_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|ziggo|kpnmail|xs4all"
    r"|protonmail|msn|yandex|gmx)(?![\w])",
    re.IGNORECASE,
)
_TELEGRAM = re.compile(r"(?:https?://)?(?:t\.me|telegram\.me|telegram\.dog)/\S+", re.IGNORECASE)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\bwa\.me/\S+"
    r"|\b[\w-]+\.(?:nl|com|org|net|be|de|tr|ir|eu|info|io|co|uk|fr|ma)(?:/\S*)?\b",
    re.IGNORECASE,
)
# "@fatma_90", "@fatma.yilmaz_90"; at least one letter, so "@19:30" stays.
_HANDLE = re.compile(r"(?<![\w@\[.])@(?=[\w.]*[A-Za-z])[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# Account names on their own: an underscore ("fatma_yilmaz", "x_90"), or "name.surname90".
_BARE_HANDLE = re.compile(
    r"(?<![\w@.])(?:[A-Za-z][A-Za-z0-9.]*_[A-Za-z0-9_.]*[A-Za-z0-9]|[a-z]{2,}\.[a-z]{2,}\d+)(?![\w@])"
)
_HANDLE_WORD = re.compile(r"@?[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[ \-.]?\d{2}")
_NL_IBAN = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
# A BSN as it is written: nine digits, or grouped 4-2-3 or 3-3-3.
_NINE_DIGITS = re.compile(
    r"(?<!\d)(?<!\d[ .\-])(?:\d{9}|\d{4}[ .\-]\d{2}[ .\-]\d{3}|\d{3}[ .\-]\d{3}[ .\-]\d{3})"
    r"(?![ .\-]?\d)"
)
# Dates and times are blanked before phone numbers are looked for: a date and a time written
# together ("12-03-2025, 19:30") is not one.
_DATE = re.compile(
    r"(?<!\d)(?<!\d[-/.])(\d{1,2})([-/.])(\d{1,2})\2((?:19|20)?\d{2})(?![-/.]?\d)"
    r"|(?<!\d)(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?![-/.]?\d)"
)
_TIME = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![.:]?\d)")
_LONG_NUMBER = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[ \t\-./()]{1,2}\d|\d){8,14}(?![\w])")

# A Dutch postcode, "3512 AB", "3512AB", "3512-AB", with an optional house number after it.
_POSTCODE = re.compile(
    r"(?<![\w\-])[1-9]\d{3}(?P<sep>\s?-?\s?)(?P<letters>[A-Za-z]{2})(?![\w])"
    r"(?:[\s,]+\d{1,5}(?:\s?[A-Za-z](?![\w]))?(?![\w:.,]?\d))?"
)
_STREET_TYPES = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|markt|plantsoen|wal"
    r"|haven|boulevard|allee|passage|promenade|park"
)
# Turkish case endings on a street name: Kerkstraat'ta, Kerkstraatta, Kerkstraat'ın
_TR_CASE = r"(?:['’]?(?:n?[dt][ae](?:ki|n)?|y?[aeıiuü]|n?[ıiuü]n))?"
_STREET = re.compile(
    rf"(?<![\w'’.\-])[^\W\d_][\w'’.\-]{{0,40}}?(?:{_STREET_TYPES}){_TR_CASE}"
    r"[\s,]*(?:(?:huis)?(?:nummer|nr\.?|no\.?:?)\s*|numara\s*|numaralı\s*|رقم\s*|پلا[کك]\s*"
    r"|شماره\s*)?"
    r"(?!(?:19|20)\d\d(?!\d))\d{1,5}(?!\d)(?:\s?[A-Za-z](?![\w])|[-/]\d{1,3}|\s?bis\b)?"
    r"(?:['’]?[^\W\d_]{1,5}(?![\w]))?",
    re.IGNORECASE,
)
# "ik woon op de Neude 11", "adres: Vredenburg 12", "adresim Oudegracht 5"
_LIVES_AT = re.compile(
    r"(?i:\b(?:woon|woont|wonen|woonachtig|adres|address|adresim|adresi|adresimiz))\b"
    r"[\s:]*(?:is\s+)?(?:op|aan|in|at|on)?\s*(?:de|het|the)?\s*"
    r"(?P<address>(?:[A-ZÀ-ÞŞĞİÇ][\w'’.\-]*\s+){1,4}?(?:(?i:huisnummer|nummer|nr\.?|no\.?)\s*)?"
    r"\d{1,5}[a-zA-Z]?)\b"
)
# A house number after a word that says so ("huisnummer 12", "kapı no 12", "پلاک ۱۲", "رقم
# المنزل ١٢"), or a street word in Persian or Arabic with its number ("شارع الحرية ١٢").
_HOUSE_NUMBER = re.compile(
    r"(?:(?i:huisnummer|huisnr\.?|kapı\s+no\.?|kapi\s+no\.?|kapı\s+numarası|kapi\s+numarasi"
    r"|daire\s+no\.?)|پلا[کك]|(?:بيت|منزل|شق[ةه])\s+رقم|رقم\s+(?:البيت|المنزل|الشق[ةه]))"
    r"\s*:?\s*\d{1,5}"
    r"|(?:شارع|خیابان|خيابان|[کك]وچه)\s+(?:\S+\s+){0,3}?(?:رقم\s*|پلا[کك]\s*|شماره\s*)?\d{1,5}"
    # A Turkish street word ("Atatürk Caddesi No: 12", "Lale Sokak 5").
    r"|(?i:\b(?:cadde(?:si)?|sokak|sokağı|sokagi|sk\.|cd\.|bulvar[ıi]?))\s*(?i:no\s*[:.]?\s*)?\d{1,5}"
)


def _unit_follows(view: str, end: int, lexicon: _Lexicon) -> bool:
    """True when the word after ``end`` says the number was a duration or an amount."""
    match = re.match(r"[\s'’]*([^\W\d_]+)", view[end:])
    return bool(match) and fold(match.group(1)) in lexicon.units


# --------------------------------------------------------------------------- finders
Finder = Callable[[str], Iterator[tuple[int, int]]]


def _regex(
    pattern: re.Pattern[str],
    check: Callable[[re.Match[str]], bool] | None = None,
    group: int | str = 0,
) -> Finder:
    def find(view: str) -> Iterator[tuple[int, int]]:
        for match in pattern.finditer(view):
            if check is None or check(match):
                yield match.span(group)

    return find


def _bsns(view: str) -> Iterator[tuple[int, int]]:
    """Nine digits that pass the BSN eleven-test ("111222333", "1112.22.333")."""
    for match in _NINE_DIGITS.finditer(_blank_dates(view)):
        if bsn.is_valid(re.sub(r"\D", "", match.group(0))):
            yield match.span()


def _ibans(view: str) -> Iterator[tuple[int, int]]:
    """IBANs, also split by spaces, dashes or dots anywhere ("NL91-ABNA-…")."""
    for start in _IBAN_START.finditer(view):
        chars: list[str] = []
        positions: list[int] = []
        separated = False
        for i in range(start.start(), len(view)):
            ch = view[i]
            if ch.isascii() and ch.isalnum():
                chars.append(ch.upper())
                positions.append(i)
                separated = False
            elif ch in " -." and chars and not separated:
                separated = True
            else:
                break
            if len(chars) == 34:
                break
        for length in range(len(chars), 14, -1):
            candidate = "".join(chars[:length])
            if iban.is_valid(candidate, check_country=False) or _NL_IBAN.fullmatch(candidate):
                yield start.start(), positions[length - 1] + 1
                break


def _blank_dates(view: str) -> str:
    """The view with dates and times replaced by as many non-digits (positions stay)."""

    def blank(match: re.Match[str]) -> str:
        return "#" * len(match.group(0))

    def blank_date(match: re.Match[str]) -> str:
        if match.group(1):
            day, month = int(match.group(1)), int(match.group(3))
            if not (min(day, month) >= 1 and max(day, month) <= 31 and min(day, month) <= 12):
                return match.group(0)
        return blank(match)

    return _TIME.sub(blank, _DATE.sub(blank_date, view))


def _phones(view: str) -> Iterator[tuple[int, int]]:
    plain = _blank_dates(view)
    for match in phonenumbers.PhoneNumberMatcher(
        plain, "NL", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        digits = sum(ch.isdigit() for ch in match.raw_string)
        dialled = match.raw_string.lstrip("(").startswith(("+", "0"))
        # Short numbers ("12550", "100000") are amounts far more often than phone numbers; a
        # number dialled with 0 or + may be shorter (a free 0800 number of eight digits).
        if digits >= 9 or (dialled and digits >= 8):
            yield match.start, match.end
    for match in _LONG_NUMBER.finditer(plain):
        if 9 <= sum(ch.isdigit() for ch in match.group(0)) <= 15:
            yield match.start(), match.end()


def _postcode_ok(match: re.Match[str]) -> bool:
    letters = match.group("letters")
    if letters.lower() in _lexicon().not_postcode_letters:
        return False
    # Attached ("3512ab") or capitals ("3512 AB") is a postcode; "2019 ab" with a space only when
    # the two letters are no word.
    return not match.group("sep") or letters.isupper() or letters.islower()


# --------------------------------------------------------------------------- names
def _name_spans(text: str, lexicon: _Lexicon) -> Iterator[tuple[int, int]]:
    tokens = _tokens(text)
    i = 0
    while i < len(tokens):
        for mode, phrases, gap_pattern in (
            ("explicit", lexicon.explicit, _EXPLICIT_GAP),
            ("explicit", lexicon.labelled, _LABEL_GAP),
            ("signoff", lexicon.signoff, _SIGNOFF_GAP),
            ("capitalised", lexicon.capitalised, _SPACE_GAP),
            ("listed", lexicon.listed, _SPACE_GAP),
        ):
            n = _match_phrase(tokens, i, phrases, text)
            j = i + n
            if not n or j >= len(tokens):
                continue
            if not gap_pattern.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
                continue
            if (
                mode == "explicit"
                and not tokens[i].latin
                and not _clause_start(tokens, i, text, lexicon)
            ):
                continue
            if mode == "explicit" and tokens[j].key in lexicon.copulas and j + 1 < len(tokens):
                j += 1
            persian = any(t.key in _PERSIAN_NAME_WORDS for t in tokens[i : i + n])
            end = _name_end(tokens, j, mode, persian, text, lexicon)
            if (
                end > j
                and mode == "signoff"
                and _LETTER_OR_DIGIT.search(text[tokens[end - 1].end :].split("\n", 1)[0])
            ):
                continue  # "bedankt Fatima voor alles": not a sign-off
            if end > j:
                yield tokens[j].start, tokens[end - 1].end
                i = end
                break
        else:
            i += 1


_EXPLICIT_GAP = re.compile(r"[\s:=,\-–]*")
_LABEL_GAP = re.compile(r"\s*:\s*")
_SIGNOFF_GAP = re.compile(r"[\s,،:\-–!.]+")
_SPACE_GAP = re.compile(r"\s+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# Phrase words that say the text is Persian, where surnames end in ی, زاده, پور…
_PERSIAN_NAME_WORDS = frozenset(fold(w) for w in ("من", "نامم", "اسمم", "نام", "بنده"))


def _clause_start(tokens: Sequence[_Token], i: int, text: str, lexicon: _Lexicon) -> bool:
    """True when ``tokens[i]`` starts a clause: "اسمي …" introduces, "سجل اسمي" does not."""
    if i == 0:
        return True
    gap = text[tokens[i - 1].end : tokens[i].start]
    return bool(re.search(r"[.,!?؟،؛:\n]", gap)) or tokens[i - 1].key in lexicon.openers


def _boundary_after(tokens: Sequence[_Token], k: int, text: str, lexicon: _Lexicon) -> bool:
    """True when no name part can follow ``tokens[k]``: punctuation, the end, a function word."""
    if k + 1 >= len(tokens):
        return not re.search(r"\d", text[tokens[k].end :])
    gap = text[tokens[k].end : tokens[k + 1].start]
    if gap.strip():
        return True
    following = tokens[k + 1].key
    return following in lexicon.not_a_name or (
        following.startswith("\u0648") and following not in lexicon.given_names
    )


def _latin_name_end(tokens: Sequence[_Token], j: int, text: str, lexicon: _Lexicon) -> int:
    """Index after a Latin-script name starting at ``tokens[j]``: further capitalised words,
    with particles between them ("Jan van der Berg", "Fatima El Amrani"), up to five words."""
    end = k = j + 1
    while k < len(tokens) and k - j < 5:
        if text[tokens[k - 1].end : tokens[k].start] != " ":
            break
        token = tokens[k]
        if token.latin and token.capitalised and token.key not in lexicon.not_a_name:
            end = k = k + 1
        elif token.key in lexicon.particles:
            k += 1
        else:
            break
    return end


def _not_a_name(token: _Token, lexicon: _Lexicon) -> bool:
    return token.key in lexicon.not_a_name or _bare(token.raw) in lexicon.written_not_a_name


def _name_end(
    tokens: Sequence[_Token],
    j: int,
    mode: str,
    persian: bool,
    text: str,
    lexicon: _Lexicon,
) -> int:
    """Index after the last token of the name starting at ``tokens[j]`` (``j`` when none)."""
    first = tokens[j]
    if _not_a_name(first, lexicon) or len(first.key) < 2:
        return j
    if mode == "listed" or (mode == "signoff" and not first.latin):
        # Only a known given name: "ben yorgunum", "من تنها هستم", "شكرا كتير" stay.
        if first.key not in lexicon.given_names:
            return j
    elif first.latin:
        if not (first.capitalised or (mode != "capitalised" and first.key in lexicon.given_names)):
            return j
    elif mode == "capitalised":
        return j
    if first.latin:
        return _latin_name_end(tokens, j, text, lexicon)
    end = j + 1
    # Arabic script: up to three words, each a given name, a name part ("عبد", "بن", "ال…",
    # a Persian surname ending) or the last word before the sentence goes on.
    k = j + 1
    if first.key in lexicon.joiners:
        end = k = j + 2 if j + 1 < len(tokens) else j + 1
    while k < len(tokens) and k - j < 3:
        if text[tokens[k - 1].end : tokens[k].start].strip():
            break
        token = tokens[k]
        key = token.key
        if _not_a_name(token, lexicon) or token.latin:
            break
        name_like = (
            key in lexicon.given_names
            or key in lexicon.joiners
            or (key.startswith("ال") and len(key) >= 4)
            or (persian and len(key) >= 4 and key.endswith(lexicon.surname_endings))
            or _boundary_after(tokens, k, text, lexicon)
        )
        if not name_like:
            break
        end = k = k + 1
    return end


# --------------------------------------------------------------------------- social handles
_GAP = re.compile(r"[\s:=\-–]*")
_POSSESSIVE = frozenset({"mijn", "mn", "my", "benim", "onze"})
# Turkish, Persian and Arabic endings on a platform's name: instagramım, insta'dan, اینستاگرامم
_PLATFORM_SUFFIX = re.compile(
    r"(?:[iu]?m|[iu]mi?z|n?[dt][ae]n?|n?[dt][ae]ki|y?[aeiu]|n?[iu]n|م|ام|ی|ي|ت|مان)?"
)
# ... of which these say "my": instagramım, اینستاگرامم, حسابي
_MY_SUFFIX = re.compile(r"(?:[iu]?m|[iu]mi?z|م|ام|ي)$")


def _platform_at(
    tokens: Sequence[_Token],
    i: int,
    phrases: Sequence[tuple[str, ...]],
    text: str,
    *,
    suffixes: bool,
) -> tuple[int, str]:
    """Words and case ending of the platform name starting at ``tokens[i]`` ((0, "") if none)."""
    for phrase in phrases:
        n = len(phrase)
        if i + n > len(tokens):
            continue
        if any(tokens[i + k].key != phrase[k] for k in range(n - 1)):
            continue
        if any(text[tokens[i + k].end : tokens[i + k + 1].start].strip() for k in range(n - 1)):
            continue
        last = tokens[i + n - 1].key
        if last == phrase[-1]:
            return n, ""
        ending = last[len(phrase[-1]) :]
        if suffixes and last.startswith(phrase[-1]) and _PLATFORM_SUFFIX.fullmatch(ending):
            return n, ending
    return 0, ""


def _looks_like_handle(word: str) -> bool:
    return word.startswith("@") or bool(re.search(r"[._0-9]", word))


def _handle_spans(text: str, lexicon: _Lexicon) -> Iterator[tuple[int, int]]:
    """Account names after a social network's name ("insta: fatma.yilmaz_90").

    The word after the platform (and up to three words like "is", "hesabım", "آیدی") is the
    handle when it looks like one (a digit, dot, underscore or "@"), after a colon, after a word
    for "account" or "user name", or after "my … is"; "ik zit niet op insta" and "insta is
    handig" stay.
    """
    tokens = _tokens(text)
    for i in range(len(tokens)):
        n, ending = _platform_at(tokens, i, lexicon.platforms, text, suffixes=True)
        weak = False
        if not n:
            n, ending = _platform_at(tokens, i, lexicon.with_colon, text, suffixes=False)
            weak = bool(n)
        if not n:
            continue
        mine = (i > 0 and tokens[i - 1].key in _POSSESSIVE) or bool(_MY_SUFFIX.search(ending))
        colon = naming = said_is = False
        pos, k = tokens[i + n - 1].end, i + n
        while True:
            gap = _GAP.match(text, pos)
            assert gap is not None
            colon = colon or bool(set(gap.group(0)) & {":", "="})
            start = gap.end()
            word = _HANDLE_WORD.match(text, start)
            filler = (
                k < len(tokens)
                and k - (i + n) < 3
                and tokens[k].start == start
                and tokens[k].key in lexicon.fillers
                and not (word and _looks_like_handle(word.group(0)))
            )
            if not filler:
                break
            naming = naming or tokens[k].key in lexicon.naming
            said_is = said_is or tokens[k].key == "is"
            pos, k = tokens[k].end, k + 1
        if weak and not colon:
            continue
        profile = k < len(tokens) and tokens[k].start == start and tokens[k].capitalised
        if (
            profile
            and tokens[k].latin
            and (colon or naming)
            and not _looks_like_handle(tokens[k].raw)
        ):
            # A profile name rather than a handle ("Facebook: Fatima El Amrani", "Şule Öztürk").
            yield start, tokens[_latin_name_end(tokens, k, text, lexicon) - 1].end
            continue
        if word is None:
            continue
        handle = word.group(0)
        # A handle is Latin letters, digits, dots and underscores, and ends there ("fatmayılmaz"
        # is a Turkish word, not a handle).
        if not re.search(r"[A-Za-z]", handle) or re.match(r"[^\W\d_]", text[word.end() :]):
            continue
        if _looks_like_handle(handle) or colon or naming or (said_is and mine):
            yield start, word.end()


# --------------------------------------------------------------------------- scrub
def scrub(text: str) -> Scrubbed:
    """Replace personal data in ``text`` with neutral placeholders.

    Returns the cleaned text and the kind of every replacement, in the order they appear
    ("phone", "email", "iban", "bsn", "address", "url", "handle", "name"; see ``PLACEHOLDERS``).
    """
    lexicon = _lexicon()
    runs = _number_runs(text, lexicon)
    view = _View(text, runs)
    spans = _Spans()

    def unit_check(match: re.Match[str]) -> bool:
        return not _unit_follows(view.text, match.end(), lexicon)

    finders: list[tuple[str, Finder]] = [
        ("email", _regex(_EMAIL)),
        ("email", _regex(_SPELLED_EMAIL)),
        ("email", _regex(_PROVIDER_EMAIL)),
        ("handle", _regex(_TELEGRAM)),
        ("url", _regex(_URL)),
        ("handle", _regex(_HANDLE)),
        ("handle", _regex(_BARE_HANDLE)),
        ("iban", _ibans),
        ("bsn", _bsns),
        ("phone", _phones),
        ("address", _regex(_POSTCODE, _postcode_ok)),
        ("address", _regex(_STREET, unit_check)),
        # Only the address itself, not "ik woon aan de" before it.
        ("address", _regex(_LIVES_AT, unit_check, group="address")),
        ("address", _regex(_HOUSE_NUMBER, unit_check)),
    ]
    for kind, find in finders:
        for start, end in find(view.text):
            spans.add(*view.span(start, end), kind)
    # A number spelled out in several groups with six digits or more ("nul zes twaalf
    # vierendertig…") is a phone number even where no phone pattern knows its format.
    for run in runs:
        if run.groups >= 2 and len(run.digits) >= 6:
            spans.add(run.start, run.end, "phone")
    for start, end in _handle_spans(text, lexicon):
        spans.add(start, end, "handle")
    for start, end in _name_spans(text, lexicon):
        spans.add(start, end, "name")
    return spans.apply(text)
