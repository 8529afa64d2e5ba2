"""The demo directory speaks the languages its groups meet in (product.md: texts per language)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from i18n.catalog_rules import informal

from bot.db.session import Database
from bot.dialogue import render
from bot.directory.demo import CITIES, LANGUAGE_LABELS, demo_services, demo_translations
from bot.directory.formats import import_demo
from bot.directory.records import ServiceRecord
from bot.directory.search import find_services

ZONE = ZoneInfo("Europe/Amsterdam")  # the default STEUNWIJZER_TIMEZONE: times below are Dutch

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
GROUP_LANGUAGES = ("tr", "fa", "ar")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
TURKISH_LETTERS = re.compile(r"[çğıöşüİ]")


def _fictional() -> list[ServiceRecord]:
    return [s for s in demo_services() if "demo" in s.name.lower()]


def test_every_group_meeting_in_turkish_farsi_or_arabic_has_texts_in_that_language() -> None:
    checked = 0
    for service in _fictional():
        for language in set(service.languages) & set(GROUP_LANGUAGES):
            if service.description:
                assert service.text("description", language), (service.name, language)
            if service.how_to_join:
                assert service.text("how_to_join", language), (service.name, language)
            checked += 1
    assert checked > 180


def test_groups_in_dutch_only_keep_dutch_texts_and_mixed_services_have_several() -> None:
    services = _fictional()
    assert all(not s.texts for s in services if s.languages == ("nl",))
    mixed = [s for s in services if len({t.language for t in s.texts}) >= 2]
    # Per city: taalmaatjes (tr, fa, ar), the community centre (tr, fa, ar), the carer support
    # point (tr, ar).
    assert len(mixed) == 3 * len(CITIES), [s.name for s in mixed]
    english = [s for s in services if any(t.language == "en" for t in s.texts)]
    assert english and all("en" in s.languages for s in english)
    # Every group named for its language ("Rouwgroep Farsitalig Tilburg") writes in it.
    for service in services:
        for language, label in LANGUAGE_LABELS.items():
            if label and label in service.name:
                assert service.text("description", language), service.name


def test_texts_are_in_their_own_script_and_polite() -> None:
    for dutch, translations in demo_translations().items():
        for language, text in translations.items():
            assert text.strip() and text != dutch
            if language in ("fa", "ar"):
                assert ARABIC_SCRIPT.search(text), text
            if language == "tr":
                assert TURKISH_LETTERS.search(text) or "Türkçe" in text, text
            if language in ("tr", "fa"):
                # Turkish siz, Persian شما: the same detector the catalogs are held to.
                assert informal(language, text) == [], (language, text)
    counts = Counter(language for translations in demo_translations().values()
                     for language in translations)
    assert counts["tr"] >= 25 and counts["fa"] >= 20 and counts["ar"] >= 25


def test_a_farsi_reader_of_the_demo_gets_farsi_how_to_join(database: Database) -> None:
    with database.session() as session:
        assert import_demo(session, NOW).ok
        outcome = find_services(session, topic="grief", municipality_code="GM0855",
                                kinds=("peer_group",), language="fa", now=NOW)
    card = next(r.card for r in outcome.results if "Farsitalig" in r.card.name)
    assert card.how_to_join_language == "fa" and ARABIC_SCRIPT.search(card.how_to_join or "")
    text = render.service_card_text("fa", card, ZONE)
    assert card.how_to_join in text and "(به هلندی)" not in text
    dutch = next(r.card for r in outcome.results if r.card.languages == ("nl",))
    assert "(به هلندی)" in render.service_card_text("fa", dutch, ZONE)
