"""The crisis route of the dialogue engine: the crisis lines first (safety.md), what else the
message said kept, and only that a crisis answer was shown counted."""

from __future__ import annotations

import logging

from bot.context import AppContext
from bot.dialogue.remember import remember_with_topic
from bot.safety.answer import crisis_replies
from bot.safety.net import signal_for
from bot.stats.counters import Event, count
from bot.taxonomy import Route
from bot.vocabulary import DialogueState, Outcome, Turn

log = logging.getLogger(__name__)


class CrisisRoute:
    """Answers a crisis, whatever the person was doing.

    Mixed into :class:`~bot.dialogue.engine.Engine`, whose other flows it calls.
    """

    context: AppContext

    def _crisis(self, turn: Turn, state: DialogueState, topic: str | None) -> Outcome:
        # The kinds decide which line comes first (safety.md rule 2): the lexicon's when it
        # matched, else cue words and the topic (the model alone found the crisis).
        said = turn.facts.topics if turn.facts is not None else ()
        signal = signal_for(turn.text, (topic, *said))
        replies = crisis_replies(turn.language, signal.kinds, minor=signal.minor)
        self._count_crisis(turn.language, signal.kind)
        if turn.facts is not None:
            # What else the message said (a place, a problem) is kept for the next turn, as
            # on the pipeline's own crisis path: nothing said is asked again.
            state = remember_with_topic(state, turn.facts)
        return Outcome(tuple(replies), state.with_(pending=None), Route.CRISIS_LINE)

    def _count_crisis(self, language: str, kind: str) -> None:
        """safety.md rule 5: only that a crisis answer was shown, its kind, language and week
        (no topic, no municipality: small cells could point at a person)."""
        try:
            with self.context.database.session() as session:
                count(session, Event.CRISIS_SHOWN, language=language, kind=kind,
                      now=self.context.clock())
        except Exception as error:  # counting must never cost a crisis answer
            log.warning("could not count a crisis answer: %s", type(error).__name__)
