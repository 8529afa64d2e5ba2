"""The decision of taxonomy.md: intent (+ safety net) → route. Shared by the dialogue and
``steunwijzer classify`` so both decide the same way."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.local_nlu import keyword_topic
from bot.safety.net import CRISIS_THRESHOLD, crisis_signalled
from bot.taxonomy import Intent, Route, Topic, route_for
from bot.vocabulary import NluResult

__all__ = ["CRISIS_THRESHOLD", "FALLBACK_THRESHOLD", "Decision", "crisis_signalled", "decide"]

#: Below this confidence the message is treated as not understood.
FALLBACK_THRESHOLD = 0.3


@dataclass(frozen=True)
class Decision:
    """The language, intent, topic, place and route decided for one message."""

    language: str
    intent: str
    confidence: float
    topic: str | None
    place: str | None
    route: str


def decide(nlu: NluResult, language: str, lexicon_crisis: bool, text: str = "") -> Decision:
    """Route one understood message. Either crisis trigger is enough.

    When the model found no topic, everyday topic words in ``text`` fill in (people rarely
    use the official words, and entity extraction is the model's weakest part).
    """
    topic = nlu.topic if nlu.topic in set(Topic) else None
    if topic is None and text:
        topic = keyword_topic(text)
    if lexicon_crisis or crisis_signalled(nlu):
        intent = Intent.CRISIS.value
        return Decision(language, intent, nlu.confidence, topic, nlu.place, Route.CRISIS_LINE)
    intent_name = nlu.intent
    if intent_name == "nlu_fallback" or nlu.confidence < FALLBACK_THRESHOLD:
        intent_name = Intent.OUT_OF_SCOPE.value
    try:
        intent = Intent(intent_name)
    except ValueError:
        return Decision(language, intent_name, nlu.confidence, topic, nlu.place, Route.CONVERSATION)
    route = route_for(intent, Topic(topic) if topic else None)
    return Decision(language, intent.value, nlu.confidence, topic, nlu.place, route.value)
