"""Run a probe script inside the Rasa environment (.venv-rasa) and read its JSON answer.

The app environment has no Rasa, so code that lives in Rasa's process (rasa_project/) is
tested by a small script run with Rasa's interpreter from the project root, as `rasa` runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.runtime.processes import RASA_VENV
from bot.settings import PROJECT_ROOT


def require_rasa_env() -> None:
    """Skip without the Rasa environment, except under CI, where its absence is a failure."""
    if not (RASA_VENV / "bin" / "python").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the Rasa environment is missing")
        pytest.skip("no Rasa environment (scripts/setup_rasa.sh)")


def run_probe(script: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run ``script`` with Rasa's Python; return the JSON object on its last output line."""
    require_rasa_env()
    python = RASA_VENV / "bin" / "python"
    full_env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    # The project root on sys.path, as `rasa` itself does when run from the project root.
    full_env["PYTHONPATH"] = str(PROJECT_ROOT)
    full_env.update(env or {})
    completed = subprocess.run(
        [str(python), str(script), *args],
        cwd=PROJECT_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])
