"""``action_respond``: the one custom action. It turns Rasa's tracker into a
:class:`~bot.dialogue.model.Turn` and state, asks the dialogue engine, and dispatches.

Thin on purpose: parse, call the service layer, render (like Rasa's example assistants).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from functools import cached_property
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.context import AppContext
from bot.dialogue.engine import Engine
from bot.dialogue.model import DialogueState, NluResult, Turn
from bot.settings import load_settings

#: Slots that hold :class:`DialogueState` (domain.yml declares them).
STATE_SLOT = "dialogue_state"


def turn_from_tracker(tracker: Tracker) -> Turn:
    """Build the engine's turn from the latest user message."""
    message: dict[str, Any] = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name") or "nlu_fallback"
    confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
    ranking = tuple(
        (str(r.get("name")), float(r.get("confidence") or 0.0))
        for r in message.get("intent_ranking") or []
    )
    entities = tuple(
        (str(e.get("entity")), str(e.get("value")))
        for e in message.get("entities") or []
        if e.get("value") is not None
    )
    metadata: dict[str, Any] = message.get("metadata") or {}
    language = str(metadata.get("language") or "nl")
    topic = next((v for k, v in entities if k == "topic"), None)
    place = next((v for k, v in entities if k == "place"), None)
    return Turn(
        language=language,
        nlu=NluResult(
            intent=intent,
            confidence=confidence,
            topic=topic,
            place=place,
            language=language,
            ranking=ranking,
            entities=entities,
        ),
        text=str(message.get("text") or ""),
        lexicon_crisis=bool(metadata.get("lexicon_crisis")),
        chat_token=metadata.get("chat_token"),
        pseudonym=tracker.sender_id,
    )


def state_from_tracker(tracker: Tracker) -> DialogueState:
    """The dialogue state kept in one JSON slot (unknown keys from older versions ignored)."""
    raw = tracker.get_slot(STATE_SLOT)
    if not raw:
        return DialogueState()
    data = json.loads(raw)
    known = {f.name for f in fields(DialogueState)}
    return DialogueState(**{k: v for k, v in data.items() if k in known})


class ActionRespond(Action):
    """Answers every turn through the dialogue engine."""

    def name(self) -> str:
        return "action_respond"

    @cached_property
    def engine(self) -> Engine:
        """One engine per action-server process."""
        return Engine(AppContext.from_settings(load_settings()))

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        outcome = self.engine.respond(turn_from_tracker(tracker), state_from_tracker(tracker))
        for reply in outcome.replies:
            dispatcher.utter_message(
                json_message={
                    **reply.to_json(),
                    "route": outcome.route,
                    "facts": outcome.facts,
                }
            )
        return [SlotSet(STATE_SLOT, json.dumps(asdict(outcome.state)))]
