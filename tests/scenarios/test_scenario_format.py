"""The conversation scenarios (tests/scenarios/README.md) are well-formed and really held out.

They are played through the real core and NLU service by ``make eval`` / ``make eval-short``
(eval/scenarios.py); these tests keep the files honest: known keys, taxonomy ids, municipalities
the gazetteer knows by their official name, enough conversations per language, and no message
copied from the training data.
"""

from __future__ import annotations

import pytest
import yaml

from bot.directory.gazetteer import Gazetteer
from bot.taxonomy import Route, Topic
from eval.data import near_duplicates, training_examples
from eval.scenarios import (
    FACT_KEYS,
    LANGUAGES,
    PER_TURN,
    PRESSES,
    WISH_ROUTES,
    load_scenarios,
    scenario_path,
)

MIN_SCENARIOS = 15
#: Greetings and one-word answers are the same for everyone; longer turns must be new.
MIN_WORDS_CHECKED = 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_turn_uses_known_keys_and_ids(language: str) -> None:
    raw = yaml.safe_load(scenario_path(language).read_text(encoding="utf-8"))
    assert raw["version"] == 1 and raw["language"] == language
    official = set(Gazetteer.bundled().names.values())
    scenarios = load_scenarios(language)
    assert len(scenarios) >= MIN_SCENARIOS
    assert len({s.id for s in scenarios}) == len(scenarios), "duplicate ids"
    for scenario, source in zip(scenarios, raw["scenarios"], strict=True):
        assert scenario.id.startswith(f"{language}-")
        for turn, raw_turn in zip(scenario.turns, source["turns"], strict=True):
            assert (turn.say is None) != (turn.press is None), scenario.id
            assert set(raw_turn) <= {"say", "press", "expect"}, scenario.id
            if "press" in raw_turn:
                assert set(raw_turn["press"]) <= set(PRESSES), scenario.id
            expect = turn.expect
            assert set(expect) <= FACT_KEYS | PER_TURN, (scenario.id, expect)
            assert expect["route"] in {r.value for r in Route}, (scenario.id, expect)
            topics = [expect.get("topic"), *expect.get("topics", [])]
            assert all(t is None or t in {t.value for t in Topic} for t in topics), scenario.id
            if "place" in expect:
                assert expect["place"] in official | {"online", "skip"}, (scenario.id, expect)
            if "wish" in expect:
                assert expect["wish"] in WISH_ROUTES, (scenario.id, expect)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_longer_turn_is_copied_from_the_training_data(language: str) -> None:
    training = [text for lang in (*LANGUAGES, "en") for _, text in training_examples(lang)]
    said = [
        turn.say
        for scenario in load_scenarios(language)
        for turn in scenario.turns
        if turn.say and len(turn.say.split()) >= MIN_WORDS_CHECKED
    ]
    assert near_duplicates(said, training) == []
