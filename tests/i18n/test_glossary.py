"""The catalogs follow the project's glossary (locales/glossary.yml), and its readable version
locales/glossary.md is the one generated from it."""

from __future__ import annotations

import re

import pytest
from catalog_rules import LANGUAGES, Entry, entries

from bot.i18n.glossary import GLOSSARY_MD, Term, fold, load, markdown

TRANSLATED = ("nl", "tr", "fa", "ar")
BRACKETED = ("tr", "fa", "ar")


def _allowed(language: str, msgid: str, term: Term) -> bool:
    return any(e.language == language and e.msgid == msgid and e.term == term.id
               for e in load().exceptions)


def glossary_problems(entry: Entry) -> list[str]:
    """Where a translation of a msgid that uses a term does not use the glossary's term."""
    problems = []
    for term in load().terms:
        if not term.used_by(entry.msgid) or _allowed(entry.language, entry.msgid, term):
            continue
        for index, text in enumerate(entry.strings):
            if term.first_use(entry.language, text) is None:
                form = f" form {index}" if entry.plural_id else ""
                problems.append(f"{entry.msgid!r}{form}: says {term.english!r} but not "
                                f"{term.rendering(entry.language)!r} in {text!r}")
    return problems


def dutch_word_problems(entry: Entry) -> list[str]:
    """The Dutch word in brackets: right after the first use of the term, at most once, and
    present where the glossary requires it."""
    problems = []
    for term in load().terms:
        if not term.show_dutch:
            continue
        for text in entry.strings:
            folded = fold(text)
            bracket = f"({fold(term.dutch)})"
            count = folded.count(bracket)
            if entry.msgid in term.required_in and count == 0:
                problems.append(f"{entry.msgid!r}: the Dutch word {bracket} is missing after "
                                f"{term.rendering(entry.language)!r} in {text!r}")
            if count > 1:
                problems.append(f"{entry.msgid!r}: the Dutch word {bracket} is shown "
                                f"{count} times in {text!r}")
            first = term.first_use(entry.language, text)
            if count and (first is None or not folded[first.end():].lstrip().startswith(
                    bracket)):
                problems.append(f"{entry.msgid!r}: the Dutch word {bracket} does not follow "
                                f"the first {term.rendering(entry.language)!r} in {text!r}")
    return problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_uses_the_glossary_terms(language: str) -> None:
    problems = [p for e in entries(language) for p in glossary_problems(e)]
    assert problems == [], f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("language", BRACKETED)
def test_the_dutch_word_follows_the_term_once(language: str) -> None:
    problems = [p for e in entries(language) for p in dutch_word_problems(e)]
    assert problems == [], f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_term_has_a_rendering_in_every_language_and_is_used() -> None:
    msgids = {e.msgid for e in entries("nl")}
    for term in load().terms:
        assert all(term.forms[language] for language in LANGUAGES), term.id
        assert any(term.used_by(m) for m in msgids), f"{term.id}: no msgid uses {term.match}"
        for msgid in term.required_in:
            assert msgid in msgids, f"{term.id}: required_in names an unknown msgid {msgid!r}"
        assert fold(term.english) == fold(term.rendering("en")), term.id


def test_every_exception_is_still_needed() -> None:
    terms = {t.id: t for t in load().terms}
    for allowed in load().exceptions:
        [entry] = [e for e in entries(allowed.language) if e.msgid == allowed.msgid]
        term = terms[allowed.term]
        assert term.used_by(entry.msgid)
        assert any(term.first_use(entry.language, t) is None for t in entry.strings), (
            f"{allowed}: the translation uses the term now; drop the exception")


def test_the_readable_glossary_is_generated_from_the_data() -> None:
    assert GLOSSARY_MD.read_text(encoding="utf-8") == markdown(load()), (
        "locales/glossary.md is out of date: run .venv/bin/python -m bot.i18n.glossary")


def test_the_checks_catch_a_term_that_drifts() -> None:
    # The Farsi buurthuis of the old shared glossary, and a Dutch word shown twice.
    old = Entry("fa", "Community centre", None, ("خانه محله (\u2068buurthuis\u2069)",))
    assert any("سرای محله" in p for p in glossary_problems(old))
    twice = Entry("tr", "Community centre", None, ("Mahalle evi (buurthuis) (buurthuis)",))
    assert dutch_word_problems(twice)
    missing = Entry("ar", "Volunteer centre", None, ("مركز المتطوعين",))
    assert dutch_word_problems(missing)
    elsewhere = Entry("tr", "Community centre", None, ("(buurthuis) mahalle evi",))
    assert dutch_word_problems(elsewhere)
    dutch = Entry("nl", "Welcome! You are now a facilitator of {group}.", None,
                  ("Welkom! Je bent nu begeleider van {group}.",))
    assert glossary_problems(dutch)
    assert re.search("gespreksleider", glossary_problems(dutch)[0])
