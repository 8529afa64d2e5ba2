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
    """Whether the model signals a crisis in any sentence of ``text`` or in the text as a
    whole (from ``whole`` when the caller has parsed it, else by parsing it when
    ``include_whole``), not resting on a near miss (:func:`near_miss_only`). The whole and the
    sentences are parsed concurrently; a failing parse raises (the caller decides what an
    outage means).
    """
    sentences = split_sentences(text)
    sentences = sentences if len(sentences) > 1 else []
    ask_whole = whole is None and include_whole
    asked = ([text] if ask_whole else []) + sentences
    readings = list(await asyncio.gather(*(parse(t) for t in asked)))
    if ask_whole:
        whole = readings.pop(0)
    pieces = [(text, whole, CRISIS_THRESHOLD)] if whole is not None else []
    pieces += [(s, r, SENTENCE_THRESHOLD) for s, r in zip(sentences, readings, strict=True)]
    for piece, reading, threshold in pieces:
        if crisis_signalled(reading, threshold) and not await near_miss_only(
            piece, parse, threshold
        ):
            return True
    return False


async def near_miss_only(text: str, parse: Parse, threshold: float = CRISIS_THRESHOLD) -> bool:
    """Whether a model alarm on ``text`` (a message or one of its sentences) rests on a near
    miss the lexicons know (hyperbole, a device that died, a suicide in the past...): the
    model is asked again about ``text`` without those words, at the same threshold, and
    signals nothing there. Only called after the model fired, so it rarely costs a parse. On
    the calibration and fresh sets it took back 22 of the model's 220 false alarms and none of
    the 95 crisis messages the model alone had found (docs/quality.md)."""
    rests = near_misses_removed(text)
    if not rests:
        return False
    for rest in rests:
        if rest.strip() and crisis_signalled(await parse(rest), threshold):
            return False  # still a crisis without the near miss
    return True


def without_crisis(nlu: NluResult) -> NluResult:
    """``nlu`` as if the model had not ranked ``crisis`` (after :func:`near_miss_only`): the
    next intent of the ranking leads."""
    ranking = tuple((name, score) for name, score in nlu.ranking if name != "crisis")
    if nlu.intent != "crisis":
        return replace(nlu, ranking=ranking)
    intent, confidence = ranking[0] if ranking else ("nlu_fallback", 0.0)
    return replace(nlu, intent=intent, confidence=confidence, ranking=ranking)
