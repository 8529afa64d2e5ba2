"""The crisis net measured on ``tests/nlu/crisis_<lang>.yml`` (indirect signals, violence at
home, a child hurt, forced marriage, danger now; near misses and everyday messages), plus the
non-crisis messages of the held-out set for the false-alarm figure.

Per language and per kind of signal: recall of the lexicon alone (what works with the NLU
service down), the model alone (whole message and every sentence) and both combined (what the
bot does); false alarms; whether the answer's first line is the right one for the kind, and
whether a young writer also gets De Kindertelefoon.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from bot.conversation.local_nlu import keyword_topics
from bot.conversation.nlu_client import NluClient
from bot.safety.kinds import FIRST_LINE, CrisisKind, FirstLine
from bot.safety.net import lexicon_signal, model_crisis, model_signal, topics_read
from bot.text.sentences import split_sentences
from eval.data import CRISIS_ITEM_KINDS, CrisisItem, Item, load_crisis_set, load_heldout

TARGET_RECALL = 1.0
TARGET_LEXICON_RECALL = 0.85
FALSE_ALARM_PER = 50


@dataclass(frozen=True)
class CrisisOutcome:
    """What the crisis net made of one message."""

    text: str
    kind: str  # the item's kind (farewell, child, near_pet, everyday, heldout, ...)
    crisis: bool  # expected
    lexicon: bool
    model: bool
    first_line: FirstLine | None  # of the answer the bot gives (None: no crisis answer)
    minor_expected: bool = False
    minor_shown: bool = False

    @property
    def combined(self) -> bool:
        """The bot shows the crisis answer."""
        return self.lexicon or self.model

    @property
    def expected_line(self) -> FirstLine | None:
        """The line that must come first for this item's kind."""
        if not self.crisis:
            return None
        return FIRST_LINE[CrisisKind(CRISIS_ITEM_KINDS[self.kind])]

    @property
    def line_right(self) -> bool:
        """Crisis found, right line first, and De Kindertelefoon for a young writer."""
        return (
            self.combined
            and self.first_line == self.expected_line
            and (self.minor_shown or not self.minor_expected)
        )


async def _outcome(text: str, kind: str, crisis: bool, minor: bool, rasa: NluClient
                   ) -> CrisisOutcome:
    lexicon = lexicon_signal(text)
    model = await model_crisis(text, rasa.parse)
    signal = lexicon
    if signal is None and model:
        # The topics the bot would see (everyday words, the model's readings of the message
        # and its sentences), so the first line is the one the bot would offer.
        pieces = [text, *split_sentences(text)]
        readings = await asyncio.gather(*(rasa.parse(t) for t in pieces))
        signal = model_signal(text, (*keyword_topics(text), *topics_read(readings)))
    return CrisisOutcome(
        text=text,
        kind=kind,
        crisis=crisis,
        lexicon=lexicon is not None,
        model=model,
        first_line=signal.first_line if signal else None,
        minor_expected=minor,
        minor_shown=bool(signal and signal.minor),
    )


async def measure(rasa: NluClient, language: str) -> list[CrisisOutcome]:
    """Every crisis-set item and every non-crisis held-out item of ``language``."""
    items: list[CrisisItem] = load_crisis_set(language)
    outcomes = [
        await _outcome(i.text, i.kind, i.crisis, i.child_writer, rasa) for i in items
    ]
    heldout: list[Item] = [
        i for i in load_heldout(language) if not i.crisis and i.route != "crisis_line"
    ]
    outcomes += [await _outcome(i.text, "heldout", False, False, rasa) for i in heldout]
    return outcomes


def _frac(hits: int, n: int) -> str:
    return f"{hits}/{n} ({hits / n:.2f})" if n else "–"


def targets(outcomes: Sequence[CrisisOutcome]) -> dict[str, bool]:
    """The targets of the crisis-net issue for one language."""
    crisis = [o for o in outcomes if o.crisis]
    quiet = [o for o in outcomes if not o.crisis]
    allowed = max(1, len(quiet) // FALSE_ALARM_PER)
    return {
        "combined recall 1.0": all(o.combined for o in crisis),
        "lexicon recall ≥ 0.85": sum(o.lexicon for o in crisis) >= TARGET_LEXICON_RECALL
        * len(crisis),
        f"false alarms ≤ 1 per {FALSE_ALARM_PER}": sum(o.combined for o in quiet) <= allowed,
        "first line right for every kind": all(o.line_right for o in crisis),
    }


def summary_table(results: dict[str, list[CrisisOutcome]]) -> list[str]:
    """One row per language, as Markdown lines."""
    rows = [
        "| lang | crisis messages | combined recall | lexicon alone | model alone |"
        " non-crisis messages | false alarms (combined / lexicon / model) | first line right |"
        " targets met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for language, outcomes in results.items():
        crisis = [o for o in outcomes if o.crisis]
        quiet = [o for o in outcomes if not o.crisis]
        met = targets(outcomes)
        rows.append(
            f"| {language} | {len(crisis)} | {_frac(sum(o.combined for o in crisis), len(crisis))}"
            f" | {_frac(sum(o.lexicon for o in crisis), len(crisis))}"
            f" | {_frac(sum(o.model for o in crisis), len(crisis))} | {len(quiet)}"
            f" | {sum(o.combined for o in quiet)} / {sum(o.lexicon for o in quiet)} /"
            f" {sum(o.model for o in quiet)}"
            f" | {_frac(sum(o.line_right for o in crisis), len(crisis))}"
            f" | {sum(met.values())}/{len(met)} |"
        )
    return rows


def kind_table(results: dict[str, list[CrisisOutcome]]) -> list[str]:
    """Recall per kind of signal and language: combined (lexicon, model), first line right."""
    languages = list(results)
    rows = [
        "| kind | " + " | ".join(languages) + " |",
        "|---|" + "---|" * len(languages),
    ]
    for kind in CRISIS_ITEM_KINDS:
        cells = []
        for language in languages:
            of_kind = [o for o in results[language] if o.kind == kind]
            found, lexicon, model, line = (
                sum(getattr(o, name) for o in of_kind)
                for name in ("combined", "lexicon", "model", "line_right")
            )
            cells.append(f"{found}/{len(of_kind)} (lex {lexicon}, model {model}; line {line})")
        rows.append(f"| {kind} | " + " | ".join(cells) + " |")
    quiet_kinds = sorted({o.kind for r in results.values() for o in r if not o.crisis})
    for kind in quiet_kinds:
        cells = []
        for language in languages:
            of_kind = [o for o in results[language] if o.kind == kind]
            cells.append(f"{sum(o.combined for o in of_kind)} FA / {len(of_kind)}")
        rows.append(f"| {kind} | " + " | ".join(cells) + " |")
    return rows


def misses(outcomes: Sequence[CrisisOutcome]) -> list[str]:
    """One line per crisis message missed or answered with the wrong line, and per false
    alarm."""
    lines = []
    for o in outcomes:
        if o.crisis and not o.combined:
            lines.append(f"missed ({o.kind}): `{o.text}`")
        elif o.crisis and not o.line_right:
            got = o.first_line.value if o.first_line else "none"
            extra = " (no Kindertelefoon)" if o.minor_expected and not o.minor_shown else ""
            lines.append(f"line {got} ≠ {o.expected_line} ({o.kind}){extra}: `{o.text}`")
        elif o.crisis and not o.lexicon:
            lines.append(f"lexicon missed, model found ({o.kind}): `{o.text}`")
        elif not o.crisis and o.combined:
            by = "+".join(n for n, on in (("lexicon", o.lexicon), ("model", o.model)) if on)
            lines.append(f"false alarm by {by} ({o.kind}): `{o.text}`")
    return lines
