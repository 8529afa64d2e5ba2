"""The held-out NLU test set (tests/nlu/heldout_<lang>.yml) is well-formed and really held out."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.taxonomy import Intent, Route, Topic, route_for
from eval.data import (
    HELDOUT_LANGUAGES,
    load_heldout,
    near_duplicates,
    training_examples,
)
from eval.metrics import accuracy, binary, macro_f1, per_class

MIN_ITEMS = 50
INTENTS = {i.value for i in Intent}  # the 19 citizen intents of taxonomy.md
TOPICS = {t.value for t in Topic}
ROUTES = {r.value for r in Route}


@pytest.fixture(scope="module")
def all_training() -> list[str]:
    return [text for lang in (*HELDOUT_LANGUAGES, "en") for _, text in training_examples(lang)]


def test_taxonomy_has_all_citizen_intents() -> None:
    assert len(INTENTS) == 19


@pytest.mark.parametrize("language", HELDOUT_LANGUAGES)
def test_labels_use_taxonomy_ids(language: str) -> None:
    items = load_heldout(language)
    assert len(items) >= MIN_ITEMS
    for item in items:
        assert item.text.strip(), item
        assert item.language == language, item
        assert item.intent in INTENTS, item
        assert item.topic is None or item.topic in TOPICS, item
        assert item.route in ROUTES, item
        # route = taxonomy.md's default mapping; crisis exactly for the crisis intent
        expected = route_for(Intent(item.intent), Topic(item.topic) if item.topic else None)
        assert item.route == expected.value, item
        assert item.crisis == (item.intent == "crisis"), item


@pytest.mark.parametrize("language", HELDOUT_LANGUAGES)
def test_covers_every_intent_and_topic(language: str) -> None:
    items = load_heldout(language)
    intents = Counter(i.intent for i in items)
    assert set(intents) == INTENTS
    assert {i.topic for i in items if i.topic} == TOPICS
    assert intents["crisis"] >= 5
    assert len({i.text for i in items}) == len(items), "duplicate texts"


@pytest.mark.parametrize("language", HELDOUT_LANGUAGES)
def test_no_near_duplicate_of_training(language: str, all_training: list[str]) -> None:
    hits = near_duplicates([i.text for i in load_heldout(language)], all_training)
    assert hits == [], hits


def test_metrics_match_hand_computed_values() -> None:
    gold = ["a", "a", "b", "c"]
    pred = ["a", "b", "b", "b"]
    assert accuracy(gold, pred) == 0.5
    scores = {s.label: s for s in per_class(gold, pred)}
    assert scores["a"].precision == 1.0 and scores["a"].recall == 0.5
    assert scores["b"].precision == pytest.approx(1 / 3) and scores["b"].recall == 1.0
    assert scores["c"].f1 == 0.0
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 0.5 + 0.0) / 3)
    counts = binary([True, True, False, False], [True, False, True, False])
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 1)
    assert counts.recall == 0.5 and counts.precision == 0.5
