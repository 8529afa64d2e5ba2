"""The project's Rasa intent classifier (rasa_project/components/tfidf_intent_classifier.py),
trained and reloaded through Rasa's own storage in the real Rasa environment."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.runtime.processes import RASA_VENV
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.rasa

PROBE = Path(__file__).with_name("intent_classifier_probe.py")


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Train, persist, reload and tamper once; every test reads the outcome."""
    python = RASA_VENV / "bin" / "python"
    if not python.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the Rasa environment is missing")
        pytest.skip("no Rasa environment (scripts/setup_rasa.sh)")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    # The project root on sys.path, as `rasa` itself does when run from the project root.
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    completed = subprocess.run(
        [str(python), str(PROBE), str(tmp_path_factory.mktemp("model"))],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


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
