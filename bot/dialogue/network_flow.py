"""The dialogue engine's "help me ask" flow: who, what and when (by button or in words), then a
draft the person sends themselves; the choices live only as long as the flow."""

from __future__ import annotations

from actions import ask_network as ask_network_action
from bot.context import AppContext
from bot.conversation.local_nlu import keyword_choices
from bot.network import render as network_render
from bot.network.choices import SLOTS, DraftSpec, What, When, Who, parse
from bot.taxonomy import Route
from bot.vocabulary import BUTTON_ENTITY, ButtonIntent, DialogueState, Outcome, Turn

#: "Help me ask": the pending question of each choice, and the state field that keeps it.
NETWORK_PENDING = {f"network_{slot}": slot for slot in SLOTS}
#: Each who/what/when button answers the slot named by the entity it carries its value in.
NETWORK_ANSWERS = {
    intent: str(BUTTON_ENTITY[intent])
    for intent in (ButtonIntent.NETWORK_WHO, ButtonIntent.NETWORK_WHAT, ButtonIntent.NETWORK_WHEN)
}
#: Routes during which the choices are kept: the flow itself, and practical help (whose
#: request may already say what for, so "help me ask" after its results does not ask again).
NETWORK_KEEPS = {Route.NETWORK_REQUEST, Route.VOLUNTEER_HELP}


def network_choices(state: DialogueState) -> dict[str, str | None]:
    """The "help me ask" choices kept in ``state``, by slot."""
    return {slot: getattr(state, f"network_{slot}") for slot in SLOTS}


def without_network(state: DialogueState) -> DialogueState:
    """``state`` with the "help me ask" choices (and a question about them) forgotten."""
    pending = None if state.pending in NETWORK_PENDING else state.pending
    return state.with_(network_who=None, network_what=None, network_when=None, pending=pending)


class NetworkFlow:
    """Helping the person ask someone they know.

    Mixed into :class:`~bot.dialogue.engine.Engine`, whose other flows it calls.
    """

    context: AppContext

    def _ask_network(self, turn: Turn, state: DialogueState) -> Outcome:
        """A typed "how do I ask my neighbour…": whatever it already says (who, what, when) is
        used, only the rest is asked."""
        starting = state.pending not in NETWORK_PENDING
        found = self._choices_in(turn.text)
        state = state.with_(**{f"network_{slot}": code for slot, code in found.items()})
        return self._network_next(turn, state, intro=starting)

    def _network_from_text(self, turn: Turn, state: DialogueState) -> Outcome | None:
        """A typed answer to one of the three questions ("mijn zus", "ara sıra"); ``None``
        when the words answer none of the open ones."""
        open_slots = {slot for slot, code in network_choices(state).items() if code is None}
        found = {
            slot: code for slot, code in self._choices_in(turn.text).items() if slot in open_slots
        }
        if not found:
            return None
        state = state.with_(**{f"network_{slot}": code for slot, code in found.items()})
        return self._network_next(turn, state)

    @staticmethod
    def _choices_in(text: str) -> dict[str, str]:
        """The valid choices whose words occur in ``text``, by slot."""
        found = keyword_choices(text) if text else {}
        checked = {slot: parse(slot, code) for slot, code in found.items()}
        return {slot: code for slot, code in checked.items() if code}

    def _network_answer(self, turn: Turn, state: DialogueState) -> Outcome:
        """A who/what/when button (also one left over from an earlier question)."""
        slot = NETWORK_ANSWERS[ButtonIntent(turn.nlu.intent)]
        code = parse(slot, turn.entity(slot))
        if code is not None:
            state = state.with_(**{f"network_{slot}": code})
        return self._network_next(turn, state)

    def _network_next(
        self, turn: Turn, state: DialogueState, *, intro: bool = False, sorry: bool = False
    ) -> Outcome:
        """Ask the first choice still open; with all three, show the draft and forget them."""
        state = state.with_(route=Route.NETWORK_REQUEST, page=0)
        chosen = network_choices(state)
        for slot, code in chosen.items():
            if code is None:
                reply = network_render.question(turn.language, slot, intro=intro, sorry=sorry)
                return Outcome(
                    (reply,), state.with_(pending=f"network_{slot}"), Route.NETWORK_REQUEST
                )
        spec = DraftSpec(Who(chosen["who"]), What(chosen["what"]), When(chosen["when"]))
        replies = ask_network_action.first_draft(self.context, spec, turn.language)
        return Outcome(replies, without_network(state), Route.NETWORK_REQUEST)

    def _network_version(self, turn: Turn, state: DialogueState) -> Outcome:
        """Shorter, warmer, the first version, or also in Dutch: the button carries the whole
        choice, the state has none of it."""
        spec = DraftSpec.decode(turn.entity("draft"))
        if spec is None:
            return self._network_next(turn, without_network(state), intro=True)
        dutch_only = turn.nlu.intent == ButtonIntent.NETWORK_DUTCH
        replies = ask_network_action.another_version(
            spec.with_dutch() if dutch_only else spec, turn.language, dutch_only=dutch_only
        )
        state = without_network(state).with_(route=Route.NETWORK_REQUEST)
        return Outcome(replies, state, Route.NETWORK_REQUEST)
