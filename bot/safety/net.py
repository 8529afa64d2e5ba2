"""The crisis net's verdict on one piece of citizen text: the lexicon, then the NLU model per
sentence; either trigger is enough (safety.md rule 1). The verdict carries the kinds of
crisis, most urgent first, so the answer offers the right line first (rule 2).

The lexicon part never waits for anything; the model part takes a ``parse`` function (the NLU
client's), so this module needs no network and works the same in the bot, ``classify`` and
``make eval``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace

from bot.safety.crisis import check_all, cue_kinds, kinds_of, near_misses_removed, writer_is_minor
from bot.safety.kinds import AT_HOME, CrisisKind, FirstLine, by_urgency, first_line
from bot.text.sentences import split_sentences
from bot.vocabulary import NluResult

#: Deliberately low (safety.md): a crisis intent anywhere near the top counts.
CRISIS_THRESHOLD = 0.25
#: For one sentence of a longer message. Short sentences out of context push the model's
#: crisis score up on everyday words; on development sets written apart from the measuring
#: sets (nl/tr/fa/ar, 80-90 crisis and ~80 other messages each), 0.25 per sentence found 0-2
#: more crisis messages per language (both triggers together) for 3-5 more false alarms
#: (docs/quality.md).
SENTENCE_THRESHOLD = 0.4

Parse = Callable[[str], Awaitable[NluResult]]


@dataclass(frozen=True)
class CrisisSignal:
    """A crisis was signalled: by what, of which kinds, and whether the writer seems a child."""

    kinds: tuple[CrisisKind, ...]  # most urgent first, never empty
    minor: bool = False
    lexicon: bool = False
    model: bool = False

    @property
    def first_line(self) -> FirstLine:
        """The line the answer offers first."""
        return first_line(self.kinds)

    @property
    def at_home(self) -> bool:
        """Someone at home may be the danger: the answer says how to delete the chat."""
        return any(kind in AT_HOME for kind in self.kinds)

    @property
    def kind(self) -> CrisisKind:
        """The most urgent kind (the one counted, safety.md rule 5)."""
        return self.kinds[0]


def crisis_signalled(nlu: NluResult, threshold: float = CRISIS_THRESHOLD) -> bool:
    """Whether the model's ranking gives ``crisis`` at least ``threshold`` (the low crisis
    threshold by default)."""
    if nlu.intent == "crisis":
        return True
    return any(name == "crisis" and score >= threshold for name, score in nlu.ranking)


def _complete(kinds: Iterable[CrisisKind], text: str) -> tuple[CrisisKind, ...]:
    """Add what the answer also needs. "Danger now" alone says nothing of what is behind it
    (an overdose taken, someone with a knife at the door): the cue words tell, and without
    them the answer offers both 113 and Veilig Thuis after 112 rather than guess. Without any
    kind at all (the model alone fired, no cue words), suicide: 113 first."""
    found = set(kinds)
    if found == {CrisisKind.DANGER_NOW}:
        found |= (set(cue_kinds(text)) - {CrisisKind.DANGER_NOW}) or {
            CrisisKind.SUICIDE,
            CrisisKind.VIOLENCE_HOME,
        }
    return by_urgency(found or {CrisisKind.SUICIDE})


def lexicon_signal(text: str) -> CrisisSignal | None:
    """The deterministic part: no network, no database, well under a millisecond."""
    matches = check_all(text)
    if not matches:
        return None
    kinds = _complete(kinds_of(matches), text)
    return CrisisSignal(kinds, minor=writer_is_minor(text), lexicon=True)


def model_signal(text: str, topics: Iterable[str | None] = ()) -> CrisisSignal:
    """The signal when only the model fired: the kind comes from cue words (a child, a
    marriage, violence at home, danger now) and the topics the message was read to name (by
    the model or the everyday words, in any sentence); without any, suicide (113 first)."""
    kinds = set(cue_kinds(text))
    if "violence" in set(topics):
        kinds.add(CrisisKind.VIOLENCE_HOME)
    return CrisisSignal(_complete(kinds, text), minor=writer_is_minor(text), model=True)


def signal_for(text: str, topics: Iterable[str | None] = ()) -> CrisisSignal:
    """The signal of ``text`` once a crisis is established: the lexicon's kinds when it
    matched, the model's cue words and ``topics`` otherwise."""
    return lexicon_signal(text) or model_signal(text, topics)


def topics_read(readings: Iterable[NluResult]) -> tuple[str, ...]:
    """Every topic the model read in ``readings`` (its topic and its topic entities)."""
    found = [r.topic for r in readings if r.topic]
    found += [value for r in readings for name, value in r.entities if name == "topic"]
    return tuple(found)


async def model_crisis(
    text: str,
    parse: Parse,
    *,
    whole: NluResult | None = None,
    include_whole: bool = True,
) -> bool:
    """Whether the model signals a crisis in any sentence of ``text`` (and in the text as a
    whole, from ``whole`` when the caller has parsed it, else by parsing it when
    ``include_whole``), and still does once known near misses are taken out
    (:func:`near_miss_only`). Sentences are parsed concurrently; a failing parse raises (the
    caller decides what an outage means).
    """
    if not await _model_fires(text, parse, whole=whole, include_whole=include_whole):
        return False
    return not await near_miss_only(text, parse)


async def _model_fires(
    text: str, parse: Parse, *, whole: NluResult | None, include_whole: bool
) -> bool:
    if whole is not None and crisis_signalled(whole):
        return True
    sentences = split_sentences(text)
    checks = [(s, SENTENCE_THRESHOLD) for s in sentences] if len(sentences) > 1 else []
    if whole is None and include_whole:
        checks = [(text, CRISIS_THRESHOLD), *checks]
    if not checks:
        return False
    results = await asyncio.gather(*(parse(t) for t, _ in checks))
    thresholds = [threshold for _, threshold in checks]
    return any(crisis_signalled(n, t) for n, t in zip(results, thresholds, strict=True))


async def near_miss_only(text: str, parse: Parse) -> bool:
    """Whether a model alarm on ``text`` rests on a near miss the lexicons know (hyperbole,
    a device that died, a suicide in the past...): the model is asked again about the text
    with those phrases blanked out, as the lexicon reads it. On the calibration sets this took
    away about one in eight of the model's false alarms and no crisis message it had found
    (docs/quality.md). Only called after the model fired, so it rarely costs a parse."""
    rest = near_misses_removed(text)
    if rest is None:
        return False
    return not rest or not await _model_fires(rest, parse, whole=None, include_whole=True)


def without_crisis(nlu: NluResult) -> NluResult:
    """``nlu`` as if the model had not ranked ``crisis`` (after :func:`near_miss_only`): the
    next intent of the ranking leads."""
    ranking = tuple((name, score) for name, score in nlu.ranking if name != "crisis")
    if nlu.intent != "crisis":
        return replace(nlu, ranking=ranking)
    intent, confidence = ranking[0] if ranking else ("nlu_fallback", 0.0)
    return replace(nlu, intent=intent, confidence=confidence, ranking=ranking)
