"""Choose the crisis net's model thresholds on the calibration sets (``eval/dev/crisis_*.yml``).

The calibration sets were written apart from the training data, the lexicons and the measuring
sets (``tests/nlu/``), for this purpose only. For every message the model's crisis score is read
once for the whole message and for each sentence; then every pair of thresholds is scored by
what the bot would do (lexicon or model): crisis recall and false alarms per language. The
measuring sets stay out of it, so ``make eval`` still measures what was not tuned on.

    python -m eval.calibrate --rasa-url URL [--write-doc docs/crisis-calibration.md]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.conversation.nlu_client import NluClient
from bot.safety.net import CRISIS_THRESHOLD, SENTENCE_THRESHOLD, lexicon_signal
from bot.text.sentences import split_sentences
from bot.vocabulary import NluResult
from eval.data import CrisisItem, load_crisis_set
from eval.run import git_revision

DEV_DIR = Path(__file__).with_name("dev")
LANGUAGES = ("nl", "tr", "fa", "ar")
WHOLE_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)
SENTENCE_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: sentences not checked
VETO_GRID = (2.0, 0.7, 0.5, 0.4)  # 2.0: no veto
FALSE_ALARM_PER = 50
#: Intents of a message that asks for help (for the veto on single sentences).
ASKING = frozenset({"seek_peer_group", "seek_practical_help", "request_human", "find_meetings"})


def _crisis_score(nlu: NluResult) -> float:
    """The model's crisis score; a top intent of crisis counts as certain (the bot's rule)."""
    if nlu.intent == "crisis":
        return 1.0
    return max((score for name, score in nlu.ranking if name == "crisis"), default=0.0)


@dataclass(frozen=True)
class Reading:
    """One calibration message as the net sees it."""

    item: CrisisItem
    lexicon: bool
    whole: float  # crisis score of the whole message
    sentences: tuple[float, ...]  # per sentence, empty for a one-sentence message
    asking: float = 0.0  # the whole message's confidence that it asks for help (else 0)

    def model(self, whole: float, sentence: float, veto: float = 2.0) -> bool:
        """Whether the model part fires at these thresholds; a sentence does not count when
        the whole message asks for help with at least ``veto`` confidence."""
        if self.whole >= whole:
            return True
        return self.asking < veto and any(s >= sentence for s in self.sentences)

    def bot(self, whole: float, sentence: float, veto: float = 2.0) -> bool:
        """Whether the bot shows the crisis answer at these thresholds."""
        return self.lexicon or self.model(whole, sentence, veto)


async def read(rasa: NluClient, items: Sequence[CrisisItem]) -> list[Reading]:
    """Parse every message and sentence once."""

    async def one(item: CrisisItem) -> Reading:
        sentences = split_sentences(item.text)
        texts = [item.text, *(sentences if len(sentences) > 1 else [])]
        results = await asyncio.gather(*(rasa.parse(t) for t in texts))
        scores = [_crisis_score(r) for r in results]
        asking = results[0].confidence if results[0].intent in ASKING else 0.0
        return Reading(
            item, lexicon_signal(item.text) is not None, scores[0], tuple(scores[1:]), asking
        )

    readings: list[Reading] = []
    for start in range(0, len(items), 16):  # a few at a time: Rasa is one process
        readings += await asyncio.gather(*(one(i) for i in items[start : start + 16]))
    return readings


@dataclass(frozen=True)
class Score:
    """What one pair of thresholds does on one language's calibration set."""

    whole: float
    sentence: float
    veto: float
    found: int
    crises: int
    false_alarms: int
    quiet: int

    @property
    def allowed(self) -> int:
        """False alarms the target allows on this many quiet messages (1 per 50)."""
        return self.quiet // FALSE_ALARM_PER


def score(readings: Sequence[Reading], whole: float, sentence: float, veto: float = 2.0) -> Score:
    """Crisis recall and false alarms of the bot at these thresholds."""
    crises = [r for r in readings if r.item.crisis]
    quiet = [r for r in readings if not r.item.crisis]
    return Score(
        whole,
        sentence,
        veto,
        found=sum(r.bot(whole, sentence, veto) for r in crises),
        crises=len(crises),
        false_alarms=sum(r.bot(whole, sentence, veto) for r in quiet),
        quiet=len(quiet),
    )


def _label(value: float) -> str:
    return "off" if value > 1 else f"{value:.2f}"


def report(readings: dict[str, list[Reading]]) -> list[str]:
    """A Markdown report: the lexicon alone, today's thresholds, and the grid."""
    lines = [
        "| whole | sentence | veto | "
        + " | ".join(f"{lang} found | {lang} FA" for lang in readings)
        + " | all found | all FA |",
        "|---|---|---|" + "---|---|" * len(readings) + "---|---|",
    ]
    in_use = (CRISIS_THRESHOLD, SENTENCE_THRESHOLD, 2.0)
    grid = [(w, s, v) for w in WHOLE_GRID for s in SENTENCE_GRID for v in VETO_GRID
            if s <= 1 or v > 1]  # no sentences: nothing to veto
    for w, s, v in [(2.0, 2.0, 2.0), in_use, *grid]:
        scores = [score(rs, w, s, v) for rs in readings.values()]
        cells = [f"{x.found}/{x.crises} | {x.false_alarms}/{x.quiet}" for x in scores]
        mark = " (lexicon alone)" if w > 1 else " (in use)" if (w, s, v) == in_use else ""
        lines.append(
            f"| {_label(w)}{mark} | {_label(s)} | {_label(v)} | "
            + " | ".join(cells)
            + f" | {sum(x.found for x in scores)}/{sum(x.crises for x in scores)}"
            + f" | {sum(x.false_alarms for x in scores)}/{sum(x.quiet for x in scores)} |"
        )
    return lines


async def calibrate(url: str, token: str) -> dict[str, list[Reading]]:
    """Read every language's calibration set through the NLU service at ``url``."""
    rasa = NluClient(url, token, timeout=30.0)
    try:
        return {
            lang: await read(rasa, load_crisis_set(lang, DEV_DIR / f"crisis_{lang}.yml"))
            for lang in LANGUAGES
            if (DEV_DIR / f"crisis_{lang}.yml").exists()
        }
    finally:
        await rasa.close()


def main(argv: Sequence[str] | None = None) -> None:
    """Print (and optionally write) the calibration table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-url", required=True, help="the NLU service to read scores from")
    parser.add_argument("--write-doc", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    token = os.environ.get("STEUNWIJZER_RASA_TOKEN", "")
    lines = report(asyncio.run(calibrate(args.rasa_url, token)))
    print("\n".join(lines))
    if args.write_doc:
        head = [
            "# Crisis net: model thresholds on the calibration sets (`python -m eval.calibrate`)",
            "",
            "Generated; do not edit. Rows: the whole-message threshold, the per-sentence",
            "threshold (a sentence of a longer message), and a veto (a sentence does not count",
            "when the whole message asks for help with at least that confidence). Cells: crisis",
            "messages the bot answers as a crisis (lexicon or model) and false alarms, on",
            "`eval/dev/crisis_<lang>.yml`. Why the thresholds in use were kept: docs/quality.md.",
            "The rows leave out the near-miss second look (bot/safety/net.py). The lexicon",
            "rounds after revision 73a1669 used these sets as development material, so from",
            "then on the lexicon's part of every row flatters; the model's does not.",
            "",
            f"Lexicons and model of revision `{git_revision()}`.",
            "",
        ]
        args.write_doc.write_text("\n".join(head + lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
