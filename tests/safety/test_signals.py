"""Indirect signals, kinds, cues and young writers, per language (safety.md rules 1 and 2).

The examples live in ``tests/safety/signals_<lang>.yml``, written with the lexicon entries
(the lexicon's own regression examples, not the measuring sets of ``tests/nlu/``): every
trigger must be caught by the lexicon with its kind, every near miss must stay quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.safety.crisis import check_all, cue_kinds, kinds_of, writer_is_minor
from bot.safety.kinds import CrisisKind

HERE = Path(__file__).parent
LANGUAGES = ("nl", "tr", "fa", "ar")


def _load(language: str) -> dict:
    return yaml.safe_load((HERE / f"signals_{language}.yml").read_text(encoding="utf-8"))


def _params(section: str) -> list[pytest.param]:
    out = []
    for language in LANGUAGES:
        for i, item in enumerate(_load(language).get(section) or []):
            out.append(pytest.param(item, id=f"{language}-{section}-{i:02d}"))
    return out


@pytest.mark.parametrize("item", _params("triggers"))
def test_trigger_has_its_kind(item: dict) -> None:
    kinds = kinds_of(check_all(item["text"]))
    assert CrisisKind(item["kind"]) in kinds, (item["text"], kinds)
    if item.get("minor"):
        assert writer_is_minor(item["text"]), item["text"]


@pytest.mark.parametrize("text", _params("near_misses"))
def test_near_miss_stays_quiet(text: str) -> None:
    assert check_all(text) == [], text


@pytest.mark.parametrize("item", _params("cues"))
def test_cue_names_the_kind(item: dict) -> None:
    assert CrisisKind(item["kind"]) in cue_kinds(item["text"]), item["text"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_is_covered(language: str) -> None:
    data = _load(language)
    kinds = [t["kind"] for t in data["triggers"]]
    for kind in ("danger_now", "suicide", "self_harm", "child", "forced_marriage",
                 "violence_home"):
        assert kinds.count(kind) >= 5, (language, kind)
    assert len(data["near_misses"]) >= 30
    assert sum(1 for t in data["triggers"] if t.get("minor")) >= 5


def test_adults_are_not_taken_for_children() -> None:
    for text in ("ik ben 45 jaar en mijn man slaat me", "40 yaşındayım", "عمري 35 سنة"):
        assert not writer_is_minor(text), text
