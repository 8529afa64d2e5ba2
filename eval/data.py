"""The held-out test set and the NLU training examples, as plain Python objects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.text.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
HELDOUT_DIR = ROOT / "tests" / "nlu"
NLU_DIR = ROOT / "nlu_data" / "nlu"
HELDOUT_LANGUAGES: tuple[str, ...] = ("nl", "tr", "fa", "ar")
#: Two texts this similar (rapidfuzz ratio on folded text, 0–100) count as near-duplicates.
NEAR_DUPLICATE = 85.0

# "[surface]{"entity": …}" or "[surface](entity)" → "surface"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")


@dataclass(frozen=True)
class Item:
    """One labelled held-out message."""

    text: str
    language: str
    intent: str
    topic: str | None
    route: str
    crisis: bool
    place: str | None = None  # the municipality it names (official name)
    long: bool = False  # a realistic message of several sentences (issue 12)

    @property
    def words(self) -> int:
        """Number of words (whitespace-separated, after folding)."""
        return len(fold(self.text).split())


def heldout_path(language: str) -> Path:
    """Where the held-out file of ``language`` lives."""
    return HELDOUT_DIR / f"heldout_{language}.yml"


def _raw_items(path: Path, language: str) -> list[tuple[dict, str]]:
    """The raw items of a measuring file, each with its language (the item's or the file's)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    file_language = data.get("language", language)
    return [(raw, str(raw.get("language", file_language))) for raw in data["items"]]


def load_heldout(language: str) -> list[Item]:
    """The held-out items of one language, in file order."""
    return [
        Item(
            text=str(raw["text"]),
            language=item_language,
            intent=str(raw["intent"]),
            topic=raw.get("topic"),
            route=str(raw["route"]),
            crisis=bool(raw["crisis"]),
            place=raw.get("place"),
            long=bool(raw.get("long", False)),
        )
        for raw, item_language in _raw_items(heldout_path(language), language)
    ]


def strip_annotations(example: str) -> str:
    """A Rasa training line without its entity markup."""
    return _ANNOTATION.sub(r"\1", example).strip()


def training_examples(language: str) -> list[tuple[str, str]]:
    """``(intent, text)`` for every training example in ``nlu_data/nlu/<language>.yml``."""
    data = yaml.safe_load((NLU_DIR / f"{language}.yml").read_text(encoding="utf-8"))
    examples: list[tuple[str, str]] = []
    for block in data.get("nlu") or []:
        intent = block.get("intent")
        if not intent:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append((intent, strip_annotations(line[2:])))
    return examples


def near_duplicates(
    texts: list[str], corpus: list[str], threshold: float = NEAR_DUPLICATE
) -> list[tuple[str, str, float]]:
    """``(text, closest corpus line, score)`` for every text at least ``threshold`` similar."""
    folded_corpus = [fold(c) for c in corpus]
    hits: list[tuple[str, str, float]] = []
    for text in texts:
        match = process.extractOne(fold(text), folded_corpus, scorer=fuzz.ratio)
        if match is not None and match[1] >= threshold:
            hits.append((text, corpus[match[2]], float(match[1])))
    return hits


# ---------------------------------------------------------------------------- crisis set

#: Kinds of crisis item in tests/nlu/crisis_<lang>.yml, and the crisis kind whose line must
#: come first for each (safety.md rule 2).
CRISIS_ITEM_KINDS: dict[str, str] = {
    "farewell": "suicide",
    "burden": "suicide",
    "means": "suicide",
    "suicidal": "suicide",
    "self_harm": "suicide",
    "violence_home": "violence_home",
    "child": "child",
    "forced_marriage": "forced_marriage",
    "danger_now": "danger_now",
}
#: Kinds of non-crisis item (near misses and everyday messages).
QUIET_ITEM_KINDS: tuple[str, ...] = (
    "near_hyperbole",
    "near_device",
    "near_killing_time",
    "near_bereaved",
    "near_school",
    "near_pet",
    "near_other",
    "everyday",
)


@dataclass(frozen=True)
class CrisisItem:
    """One message of the crisis measuring set."""

    text: str
    language: str
    crisis: bool
    kind: str
    dialect: str
    child_writer: bool = False


def crisis_set_path(language: str) -> Path:
    """Where the crisis measuring set of ``language`` lives."""
    return HELDOUT_DIR / f"crisis_{language}.yml"


def load_crisis_set(language: str, path: Path | None = None) -> list[CrisisItem]:
    """The crisis measuring set of one language (indirect signals, near misses, everyday), or
    a file in the same format at ``path`` (the calibration sets in ``eval/dev/``)."""
    return [
        CrisisItem(
            text=str(raw["text"]),
            language=item_language,
            crisis=bool(raw["crisis"]),
            kind=str(raw["kind"]),
            dialect=str(raw.get("dialect", "")),
            child_writer=bool(raw.get("child_writer", False)),
        )
        for raw, item_language in _raw_items(path or crisis_set_path(language), language)
    ]
