"""Rasa's own cross-validation per language (``rasa test nlu --cross-validation``)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eval.data import NLU_DIR, ROOT

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
CONFIG = ROOT / "rasa_project" / "config.yml"


@dataclass(frozen=True)
class CvResult:
    """The intent part of one language's cross-validation report."""

    language: str
    folds: int
    examples: int
    accuracy: float
    macro_f1: float
    weakest: tuple[tuple[str, float], ...]  # the lowest per-intent F1 scores
    seconds: float
    command: str


def cross_validate(language: str, folds: int = 5, out: Path | None = None) -> CvResult:
    """Run Rasa's k-fold cross-validation on ``nlu_data/nlu/<language>.yml``."""
    work = Path(tempfile.mkdtemp(prefix=f"steunwijzer-cv-{language}-")) if out is None else out
    command = [
        str(RASA),
        "test",
        "nlu",
        "--nlu",
        str(NLU_DIR / f"{language}.yml"),
        "--config",
        str(CONFIG),
        "--cross-validation",
        "--folds",
        str(folds),
        "--out",
        str(work),
    ]
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="3",
        RASA_CACHE_DIRECTORY=str(work / "cache"),
    )
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    report_path = work / "intent_report.json"
    if completed.returncode != 0 or not report_path.exists():
        tail = "\n".join(completed.stderr.splitlines()[-15:])
        raise RuntimeError(f"cross-validation of {language} failed:\n{tail}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    intents = {
        name: float(scores["f1-score"])
        for name, scores in report.items()
        if isinstance(scores, dict) and name not in {"macro avg", "weighted avg", "micro avg"}
    }
    weakest = tuple(sorted(intents.items(), key=lambda kv: kv[1])[:4])
    examples = int(report["macro avg"]["support"])
    shown = " ".join(
        part if part != str(work) else "<tmp>"
        for part in (p.replace(str(ROOT) + "/", "") for p in command)
    )
    return CvResult(
        language=language,
        folds=folds,
        examples=examples,
        accuracy=float(report["accuracy"]),
        macro_f1=float(report["macro avg"]["f1-score"]),
        weakest=weakest,
        seconds=seconds,
        command=shown,
    )
