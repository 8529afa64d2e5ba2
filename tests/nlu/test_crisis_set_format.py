"""The crisis measuring set (tests/nlu/crisis_<lang>.yml) is well-formed, large enough for the
figures of the crisis-net issue, and really held out from the training data."""

from __future__ import annotations

from collections import Counter

import pytest

from eval.data import (
    CRISIS_ITEM_KINDS,
    HELDOUT_LANGUAGES,
    QUIET_ITEM_KINDS,
    load_crisis_set,
    load_heldout,
    near_duplicates,
    training_examples,
)

#: Indirect signals: everything but a plainly stated wish to die.
INDIRECT = set(CRISIS_ITEM_KINDS) - {"suicidal"}


@pytest.mark.parametrize("language", HELDOUT_LANGUAGES)
def test_kinds_and_sizes(language: str) -> None:
    items = load_crisis_set(language)
    for item in items:
        assert item.text.strip() and item.language == language, item
        assert item.dialect, item
        if item.crisis:
            assert item.kind in CRISIS_ITEM_KINDS, item
        else:
            assert item.kind in QUIET_ITEM_KINDS and not item.child_writer, item
    kinds = Counter(i.kind for i in items)
    assert sum(kinds[k] for k in INDIRECT) >= 20
    assert all(kinds[k] >= 2 for k in CRISIS_ITEM_KINDS), kinds
    near = sum(n for k, n in kinds.items() if k.startswith("near_"))
    assert near >= 20
    # The false-alarm figure needs at least 100 non-crisis messages per language.
    quiet = sum(1 for i in items if not i.crisis)
    quiet += sum(1 for i in load_heldout(language) if not i.crisis and i.route != "crisis_line")
    assert quiet >= 100
    assert len({i.text for i in items}) == len(items), "duplicate texts"


@pytest.mark.parametrize("language", HELDOUT_LANGUAGES)
def test_no_near_duplicate_of_training(language: str) -> None:
    training = [t for lang in (*HELDOUT_LANGUAGES, "en") for _, t in training_examples(lang)]
    hits = near_duplicates([i.text for i in load_crisis_set(language)], training)
    assert hits == [], hits
