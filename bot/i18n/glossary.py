"""The project's glossary (``locales/glossary.yml``): the fixed translation of each product term.

``python -m bot.i18n.glossary`` writes the readable ``locales/glossary.md`` from the data file;
tests/i18n/test_glossary.py checks the catalogs against it and that the .md is current.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.i18n.catalogs import LOCALES_DIR

GLOSSARY_YML = LOCALES_DIR / "glossary.yml"
GLOSSARY_MD = LOCALES_DIR / "glossary.md"
LANGUAGES = ("nl", "en", "tr", "fa", "ar")

#: Arabic diacritics (harakat, tanwin, shadda, sukun, dagger alif), tatweel, the ezafe hamza,
#: Unicode isolates and embeddings: none of them changes which word is written.
_IGNORED = re.compile("[\u064b-\u0652\u0670\u0640\u0654\u2066-\u2069\u202a-\u202e]")


def fold(text: str) -> str:
    """Text as the glossary compares it: case, diacritics and isolates do not count."""
    text = unicodedata.normalize("NFC", text)
    return _IGNORED.sub("", text).casefold().replace("i\u0307", "i")


@dataclass(frozen=True)
class Term:
    """One product term and its fixed translation per language."""

    id: str
    dutch: str
    english: str
    match: tuple[str, ...]
    show_dutch: bool
    required_in: tuple[str, ...]
    forms: dict[str, tuple[str, ...]]
    note: str

    def rendering(self, language: str) -> str:
        """THE term in ``language``."""
        return self.forms[language][0]

    def used_by(self, msgid: str) -> bool:
        """Whether the English ``msgid`` speaks of this term."""
        return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", msgid, re.IGNORECASE)
                   for word in self.match)

    def first_use(self, language: str, text: str) -> re.Match[str] | None:
        """The first place ``text`` uses the term (with any suffix), folded."""
        folded = fold(text)
        pattern = "|".join(re.escape(fold(f)) for f in sorted(self.forms[language], key=len,
                                                               reverse=True))
        return re.search(rf"(?:{pattern})[\w\u200c]*", folded)


@dataclass(frozen=True)
class Allowed:
    """A justified exception: ``msgid`` in ``language`` need not use ``term``."""

    language: str
    msgid: str
    term: str
    why: str


@dataclass(frozen=True)
class Glossary:
    """Rules, terms and exceptions of ``locales/glossary.yml``."""

    rules: tuple[str, ...]
    terms: tuple[Term, ...]
    exceptions: tuple[Allowed, ...]


def _term(raw: dict) -> Term:
    return Term(
        id=raw["id"], dutch=raw["dutch"], english=raw["english"], match=tuple(raw["match"]),
        show_dutch=bool(raw["show_dutch"]), required_in=tuple(raw.get("required_in", ())),
        forms={language: tuple(raw[language]) for language in LANGUAGES},
        note=" ".join(raw.get("note", "").split()))


@cache
def load(path: Path = GLOSSARY_YML) -> Glossary:
    """The glossary data file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Glossary(
        rules=tuple(" ".join(rule.split()) for rule in raw["rules"]),
        terms=tuple(_term(t) for t in raw["terms"]),
        exceptions=tuple(Allowed(**e) for e in raw.get("exceptions", ())),
    )


def markdown(glossary: Glossary) -> str:
    """The readable glossary."""
    lines = [
        "# Glossary: the fixed translation of each product term",
        "",
        "<!-- Generated from locales/glossary.yml by `.venv/bin/python -m bot.i18n.glossary`;",
        "     edit the .yml, not this file. -->",
        "",
        "This glossary supersedes `../shared/design/glossary.md`, where it started. Every catalog",
        "follows it; `tests/i18n/test_glossary.py` checks that a translation whose English text",
        "uses a term uses the term below (or one of its listed forms).",
        "",
        "## Rules",
        "",
        *[f"- {rule}" for rule in glossary.rules],
        "",
        "## Terms",
        "",
        "| nl | en | tr | fa | ar | Dutch word in brackets |",
        "|---|---|---|---|---|---|",
    ]
    for term in glossary.terms:
        cells = [term.rendering(language) for language in LANGUAGES]
        bracket = f"yes: ({term.dutch})" if term.show_dutch else "no"
        lines.append("| " + " | ".join([*cells, bracket]) + " |")
    lines += ["", "## Notes", ""]
    for term in glossary.terms:
        others = {language: term.forms[language][1:] for language in LANGUAGES
                  if term.forms[language][1:]}
        forms = "; ".join(f"{language}: {', '.join(f)}" for language, f in others.items())
        lines.append(f"- **{term.dutch}** ({term.english}): {term.note}"
                     + (f" Also counts: {forms}." if forms else ""))
    if glossary.exceptions:
        lines += ["", "## Exceptions", ""]
        lines += [f"- {e.language}, \"{e.msgid}\" ({e.term}): {e.why}"
                  for e in glossary.exceptions]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write locales/glossary.md."""
    GLOSSARY_MD.write_text(markdown(load()), encoding="utf-8")
    print(f"wrote {GLOSSARY_MD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
