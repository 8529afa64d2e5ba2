"""The project's Rasa intent classifier (rasa_project/components/tfidf_intent_classifier.py),
trained and reloaded through Rasa's own storage in the real Rasa environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_probe import run_probe

pytestmark = pytest.mark.rasa

PROBE = Path(__file__).with_name("intent_classifier_probe.py")


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Train, persist, reload and tamper once; every test reads the outcome."""
    return run_probe(PROBE, str(tmp_path_factory.mktemp("model")))


def test_it_tells_the_intents_apart(probe: dict) -> None:
    assert [p["intent"] for p in probe["trained"]] == ["greet", "offer_help", "share_situation"]


def test_the_ranking_is_a_probability_distribution_best_first(probe: dict) -> None:
    for prediction in probe["trained"]:
        scores = [r["confidence"] for r in prediction["ranking"]]
        assert scores == sorted(scores, reverse=True)
        assert sum(scores) == pytest.approx(1.0)
        assert prediction["ranking"][0]["name"] == prediction["intent"]


def test_a_reloaded_model_answers_exactly_like_the_trained_one(probe: dict) -> None:
    assert probe["loaded"] == probe["trained"]


def test_a_model_file_with_unexpected_types_is_refused(probe: dict) -> None:
    assert probe["tampered"].startswith("refused: unexpected model")
    assert "RandomForestClassifier" in probe["tampered"]
