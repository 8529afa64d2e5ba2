"""The deterministic crisis net: per-language lexicons of phrases and patterns.

Every citizen message is checked against *all* lexicons (people code-switch), on the folded
text (``bot.text.normalize.fold``), before anything else. This module never logs message text.

Lexicon files (``bot/safety/lexicons/<lang>.yml``, maintained by operators) look like::

    language: nl
    prefix: ''              # optional regex allowed before every entry (Arabic: و/ف)
    macros:                 # reusable regex snippets, used as {name} in patterns
      fill: '(?:\\w+ ){0,2}?'
    keywords: [zelfmoord]   # long words whose 1–2 letter typos are corrected before matching
    protected: [jezelf]     # words never "corrected" to a keyword
    exclude:                # masked out first: hyperbole, grief, survivors, news
      phrases: [dood van het lachen]
      patterns: ['ga dood van \\w+']
    categories:
      suicide:
        phrases: ['ik wil dood', 'zelfmoordgedachte*']
        patterns: ['wil(?:t|len)? niet meer leven']
    minor_writer:           # the writer seems to be a child (adds De Kindertelefoon)
      patterns: ['ik ben (?:1[0-7]|[89]) (?:jaar|jr)']
    kind_cues:              # looser words that name the kind when only the NLU model fired
      child: {phrases: ['mijn zoontje']}

Phrases are plain text, folded at load; a word ending in ``*`` matches any ending. Patterns
are Python regexes written against folded text (lower case, no diacritics, ا for every alef,
ه for ة, ي for ى/ی, ك for ک, the Persian prefix می joined to its verb). Letters in patterns
are folded at load as a safety net. Every entry starts at a word boundary.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.safety.kinds import AT_HOME, CrisisKind
from bot.text.normalize import fold

log = logging.getLogger(__name__)

# Most severe first: check_crisis returns the first category that matched in this order.
CATEGORIES: tuple[str, ...] = (
    "danger_now",
    "suicide",
    "self_harm",
    "acute",
    "child_harm",
    "honour_forced_marriage",
    "violence_home",
)
#: The kind of crisis each lexicon category signals (bot/safety/kinds.py).
CATEGORY_KIND: dict[str, CrisisKind] = {
    "danger_now": CrisisKind.DANGER_NOW,
    "suicide": CrisisKind.SUICIDE,
    "self_harm": CrisisKind.SELF_HARM,
    "acute": CrisisKind.ACUTE,
    "child_harm": CrisisKind.CHILD,
    "honour_forced_marriage": CrisisKind.FORCED_MARRIAGE,
    "violence_home": CrisisKind.VIOLENCE_HOME,
}
#: Kinds a lexicon may name with looser cue words (``kind_cues``), used only when the NLU
#: model alone signalled a crisis, to pick the right first line.
CUE_KINDS: tuple[CrisisKind, ...] = (
    CrisisKind.DANGER_NOW,
    CrisisKind.CHILD,
    CrisisKind.FORCED_MARRIAGE,
    CrisisKind.VIOLENCE_HOME,
)
LEXICON_LANGUAGES: tuple[str, ...] = ("nl", "tr", "fa", "ar", "en")

_MACRO = re.compile(r"\{([a-z_]+)\}")
_FORBIDDEN = re.compile(r"\(\?P|\\[1-9]|\(\?[aiLmsux]+\)")
# Typo correction: only tokens this long are considered, and a keyword needs this length.
_MIN_TYPO_TOKEN = 5
_MIN_KEYWORD = 6


@dataclass(frozen=True)
class CrisisMatch:
    """One lexicon hit: which category, in which language's lexicon, by which entry."""

    category: str
    language: str
    pattern: str  # the lexicon entry, for tests and debugging; never log it with the text


@dataclass(frozen=True)
class Lexicon:
    """A compiled lexicon of one language."""

    language: str
    any_entry: re.Pattern[str]  # all categories in one regex: the fast "nothing here" check
    by_category: tuple[tuple[str, re.Pattern[str]], ...]  # in severity order
    sources: tuple[str, ...]  # entry text by group index ("e<i>")
    exclude: re.Pattern[str] | None
    keywords: tuple[str, ...]
    protected: frozenset[str]
    minor_writer: re.Pattern[str] | None = None  # the writer seems to be under 18
    cues: tuple[tuple[CrisisKind, re.Pattern[str]], ...] = ()  # kind_cues, in CUE_KINDS order


@lru_cache(maxsize=4096)
def _fold_letter(ch: str) -> str:
    """One letter folded, or itself when folding would not give one letter (cached: the
    lexicons hold ~100,000 letters and only a few hundred distinct ones)."""
    folded = fold(ch)
    return folded if len(folded) == 1 else ch


def _fold_pattern_letters(pattern: str) -> str:
    """Fold the literal letters of a regex (ş→s, أ→ا, ک→ك), leaving escapes like \\S alone."""
    out: list[str] = []
    escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch.isalpha():
            out.append(_fold_letter(ch))
        else:
            out.append(ch)
    return "".join(out)


def phrase_to_regex(phrase: str) -> str:
    """Turn a lexicon phrase into a regex on folded text (``*`` = any word ending)."""
    words = []
    for raw in phrase.split():
        star = raw.endswith("*")
        word = fold(raw.rstrip("*"))
        if not word:
            continue
        # fold may split a word ("zelf-moord"): allow exactly what fold produces.
        rx = r"\ ".join(re.escape(part) for part in word.split())
        words.append(rx + (r"\w*" if star else ""))
    if not words:
        return ""
    tail = "" if phrase.rstrip().endswith("*") else r"(?!\w)"
    return " ".join(words) + tail


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    """Replace {name} by the macro's regex (unknown names stay literal)."""
    return _MACRO.sub(
        lambda m: f"(?:{macros[m.group(1)]})" if m.group(1) in macros else m.group(0), pattern
    )


def _entries(section: Mapping[str, Any] | None, macros: Mapping[str, str]) -> list[tuple[str, str]]:
    """(source text, regex) for the phrases and patterns of one section."""
    if not section:
        return []
    out: list[tuple[str, str]] = []
    for phrase in section.get("phrases") or []:
        rx = phrase_to_regex(str(phrase))
        if rx:
            out.append((str(phrase), rx))
    for pattern in section.get("patterns") or []:
        out.append((str(pattern), _fold_pattern_letters(_expand(str(pattern), macros))))
    return out


def _compiles(rx: str) -> bool:
    try:
        re.compile(rx)
    except re.error:
        return False
    return not _FORBIDDEN.search(rx)


def _category_regex(
    lead: str, entries: list[tuple[str, str]], first: int
) -> re.Pattern[str] | None:
    """One category's entries as one regex, group ``e<i>`` for entry ``first + i``."""
    if not entries:
        return None
    groups = [f"(?P<e{first + i}>{rx})" for i, (_, rx) in enumerate(entries)]
    return re.compile(lead + "(?:" + "|".join(groups) + ")")


def _working(rxs: list[str]) -> list[str]:
    """The entries that compile and are allowed. Compiling each of ~3,000 entries on its own
    tripled the start-up time, so they are compiled together first and one by one only when
    that fails (an operator's typo)."""
    allowed = [rx for rx in rxs if not _FORBIDDEN.search(rx)]
    try:
        re.compile("|".join(f"(?:{rx})" for rx in allowed))
    except re.error:
        return [rx for rx in allowed if _compiles(rx)]
    return allowed


def validate_lexicon_data(data: Mapping[str, Any]) -> list[str]:
    """Return the problems of raw lexicon data (empty when fine). Used by tests and tooling."""
    problems: list[str] = []
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    categories = data.get("categories") or {}
    for category in categories:
        if category not in CATEGORIES:
            problems.append(f"unknown category {category!r}")
    cues = data.get("kind_cues") or {}
    for kind in cues:
        if kind not in {k.value for k in CUE_KINDS}:
            problems.append(f"unknown kind_cues kind {kind!r}")
    sections = [
        ("exclude", data.get("exclude")),
        ("minor_writer", data.get("minor_writer")),
        *categories.items(),
        *((f"kind_cues.{k}", v) for k, v in cues.items()),
    ]
    for name, section in sections:
        for source, rx in _entries(section, macros):
            if not _compiles(rx):
                problems.append(f"{name}: bad or forbidden regex {source!r}")
            elif re.compile(rx).search(""):
                problems.append(f"{name}: entry matches empty text {source!r}")
            for macro in _MACRO.findall(source):
                if macro not in macros and source in (section.get("patterns") or []):
                    problems.append(f"{name}: unknown macro {{{macro}}} in {source!r}")
    return problems


def build_lexicon(language: str, data: Mapping[str, Any]) -> Lexicon:
    """Compile raw lexicon data. Broken entries are skipped and logged, never fatal:
    a typo by an operator must not switch off the whole crisis net."""
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    prefix = str(data.get("prefix") or "")
    lead = rf"(?<!\w)(?:{prefix})?" if prefix else r"(?<!\w)"
    sources: list[str] = []
    by_category: list[tuple[str, re.Pattern[str]]] = []
    plain: list[str] = []
    categories = data.get("categories") or {}
    for category in CATEGORIES:
        written = _entries(categories.get(category), macros)
        entries = [(src, rx) for src, rx in written if not _FORBIDDEN.search(rx)]
        try:  # all at once: compiling ~3,000 entries one by one tripled the start-up time
            compiled = _category_regex(lead, entries, len(sources))
        except re.error:  # an operator's typo: find it, leave it out, keep the rest
            # Each entry as it stands in the whole ("(?i)" compiles alone, not inside a group).
            entries = [(src, rx) for src, rx in entries if _compiles(f"{lead}(?:{rx})")]
            try:
                compiled = _category_regex(lead, entries, len(sources))
            except re.error:  # entries that only fail together: the category is lost, not all
                log.exception("crisis lexicon %s: category %s left out", language, category)
                entries, compiled = [], None
        if len(entries) < len(written):
            log.error("crisis lexicon %s: skipping broken entries in %s", language, category)
        if compiled is not None:
            by_category.append((category, compiled))
        sources += [src for src, _ in entries]
        plain += [f"(?:{rx})" for _, rx in entries]
    any_rx = "|".join(plain) or r"(?!x)x"  # one regex per language: the fast common case
    excl = _working([rx for _, rx in _entries(data.get("exclude"), macros)])
    exclude = re.compile(r"(?<!\w)(?:" + "|".join(excl) + ")") if excl else None
    keywords = tuple(
        sorted(
            {fold(str(k)) for k in data.get("keywords") or [] if len(fold(str(k))) >= _MIN_KEYWORD}
        )
    )
    protected = frozenset(fold(str(w)) for w in data.get("protected") or [])
    cue_data = data.get("kind_cues") or {}
    cues = tuple(
        (kind, rx)
        for kind in CUE_KINDS
        if (rx := _section_regex(cue_data.get(kind.value), macros, lead)) is not None
    )
    return Lexicon(
        language=language,
        any_entry=re.compile(lead + "(?:" + any_rx + ")"),
        by_category=tuple(by_category),
        sources=tuple(sources),
        exclude=exclude,
        keywords=keywords,
        protected=protected,
        minor_writer=_section_regex(data.get("minor_writer"), macros, lead),
        cues=cues,
    )


def _section_regex(
    section: Mapping[str, Any] | None, macros: Mapping[str, str], lead: str
) -> re.Pattern[str] | None:
    """One regex for every working entry of a section, or None when it has none."""
    parts = _working([rx for _, rx in _entries(section, macros)])
    return re.compile(lead + "(?:" + "|".join(parts) + ")") if parts else None


def _read_lexicon_file(language: str) -> dict[str, Any]:
    path = resources.files("bot.safety").joinpath("lexicons", f"{language}.yml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"crisis lexicon {language}: not a mapping")
    return data


def load_lexicon_data(language: str) -> dict[str, Any]:
    """Raw data of one packaged lexicon file (for validation)."""
    return _read_lexicon_file(language)


@lru_cache(maxsize=1)
def load_lexicons() -> tuple[Lexicon, ...]:
    """Compile all packaged lexicons once (cached). A missing or unreadable file is logged
    and skipped so the other languages keep working."""
    lexicons: list[Lexicon] = []
    for language in LEXICON_LANGUAGES:
        try:
            data = _read_lexicon_file(language)
        except (OSError, ValueError, yaml.YAMLError):
            log.exception("crisis lexicon %s could not be loaded", language)
            continue
        lexicons.append(build_lexicon(language, data))
    return tuple(lexicons)


@dataclass(frozen=True)
class _TypoIndex:
    """All lexicons' keywords in one list, so one vectorised distance call serves them all."""

    keywords: tuple[str, ...]
    languages: tuple[frozenset[str], ...]  # per keyword: lexicons that list it


@lru_cache(maxsize=1)
def _typo_index() -> _TypoIndex:
    owners: dict[str, set[str]] = {}
    for lexicon in load_lexicons():
        for keyword in lexicon.keywords:
            owners.setdefault(keyword, set()).add(lexicon.language)
    keywords = tuple(sorted(owners))
    return _TypoIndex(keywords, tuple(frozenset(owners[k]) for k in keywords))


def _typo_corrections(words: list[str]) -> dict[str, dict[str, str]]:
    """Per lexicon language: {misspelled token: keyword} for tokens one edit (two for
    keywords of 10+ letters) away from a keyword. Exact keywords are not corrections."""
    index = _typo_index()
    tokens = sorted({w for w in words if len(w) >= _MIN_TYPO_TOKEN})
    if not tokens or not index.keywords:
        return {}
    out: dict[str, dict[str, str]] = {}
    for token in tokens:
        # extractOne loops in C; no numpy needed. Tokens are not cached (privacy: no text kept).
        hit = process.extractOne(token, index.keywords, scorer=Levenshtein.distance, score_cutoff=2)
        if hit is None:
            continue
        keyword, distance, best = hit
        if distance == 0 or distance > (1 if len(keyword) < 10 else 2):
            continue
        for language in index.languages[best]:
            out.setdefault(language, {})[token] = keyword
    return out


def _match_lexicon(
    folded: str, lexicon: Lexicon, corrections: Mapping[str, str]
) -> list[CrisisMatch]:
    text = lexicon.exclude.sub(" ", folded) if lexicon.exclude else folded
    candidates = [text]
    fixes = {t: k for t, k in corrections.items() if t not in lexicon.protected}
    if fixes:
        candidates.append(" ".join(fixes.get(w, w) for w in text.split()))
    found: list[CrisisMatch] = []
    for candidate in candidates:
        if not lexicon.any_entry.search(candidate):
            continue
        for category, rx in lexicon.by_category:
            if any(m.category == category for m in found):
                continue
            match = rx.search(candidate)
            if match is None:
                continue
            name = next(k for k, v in match.groupdict().items() if v is not None)
            found.append(CrisisMatch(category, lexicon.language, lexicon.sources[int(name[1:])]))
    return found


def check_all(text: str) -> list[CrisisMatch]:
    """All crisis matches in ``text``, one per (category, lexicon language), most severe first.

    Every lexicon is checked regardless of the message's language.
    """
    folded = fold(text)
    if not folded:
        return []
    corrections = _typo_corrections(folded.split())
    matches: list[CrisisMatch] = []
    for lexicon in load_lexicons():
        matches.extend(_match_lexicon(folded, lexicon, corrections.get(lexicon.language, {})))
    order = {category: i for i, category in enumerate(CATEGORIES)}
    return sorted(matches, key=lambda m: order[m.category])  # stable: lexicon order kept


def near_misses_removed(text: str) -> tuple[str, ...]:
    """``text`` without the words of a near miss a lexicon knows (its ``exclude`` section:
    "dood van het lachen", "gülmekten öldüm", a suicide in the past), once for each lexicon
    that finds one; empty when none does. Each lexicon's own near misses, as it reads them.
    The words that stay are the original ones, not folded, so the model is asked about text
    like the text it learnt from (bot/safety/net.py)."""
    words = text.split()
    keys = [fold(word) for word in words]
    starts = list(itertools.accumulate((len(key) + 1 for key in keys[:-1]), initial=0))
    joined = " ".join(keys)
    rests: list[str] = []
    for lexicon in load_lexicons():
        if lexicon.exclude is None:
            continue
        spans = [m.span() for m in lexicon.exclude.finditer(joined)]
        if not spans:
            continue
        kept = [
            word
            for word, start, key in zip(words, starts, keys, strict=True)
            if not any(a < start + max(len(key), 1) and start < b for a, b in spans)
        ]
        rest = " ".join(kept)
        if rest not in rests:
            rests.append(rest)
    return tuple(rests)


def check_crisis(text: str) -> CrisisMatch | None:
    """The most severe crisis match in ``text``, or None."""
    matches = check_all(text)
    return matches[0] if matches else None


def kinds_of(matches: Iterable[CrisisMatch]) -> frozenset[CrisisKind]:
    """The crisis kinds of lexicon matches."""
    return frozenset(CATEGORY_KIND[m.category] for m in matches)


def cue_kinds(text: str) -> frozenset[CrisisKind]:
    """Kinds named by the looser ``kind_cues`` of every lexicon (child, marriage, violence,
    danger). Only for choosing the first line once a crisis is established by the model."""
    folded = fold(text)
    found: set[CrisisKind] = set()
    for lexicon in load_lexicons():
        for kind, rx in lexicon.cues:
            if kind not in found and rx.search(folded):
                found.add(kind)
    return frozenset(found)


def writer_is_minor(text: str) -> bool:
    """Whether the writer says or shows they are under 18 (adds De Kindertelefoon)."""
    folded = fold(text)
    return any(
        lexicon.minor_writer is not None and lexicon.minor_writer.search(folded)
        for lexicon in load_lexicons()
    )


def mentions_home_violence(matches: Iterable[CrisisMatch]) -> bool:
    """True when violence at home, a child hurt, or honour-related violence / forced marriage
    was matched: the answer then names Veilig Thuis and explains how to delete the chat."""
    return any(kind in AT_HOME for kind in kinds_of(matches))
