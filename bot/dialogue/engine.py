"""The dialogue engine: one turn in, replies and new state out.

It follows the routing ladder of product.md: acknowledge, offer options as buttons, ask for
the place only when a search needs it, accept "online is fine" and "I'd rather not say",
show at most three results at a time, and help the person ask someone they know ("help me
ask": who, what, when, then a draft they send themselves). The conversation core
(``bot/conversation/pipeline.py``) calls :meth:`Engine.respond` with the meaning of the turn,
from the NLU service or, when it is down, from the bot's keywords, so there is one dialogue,
not two. What a turn *does* (search, relay, remind, forget, show a draft) is in ``actions/``.

This module is the entry point, the error boundary and the dispatch; each flow is a module of
its own, mixed into :class:`Engine`: ``search_flow`` (the routing ladder, results, groups,
reminders), ``request_flow`` (a question for a person), ``network_flow`` ("help me ask"),
``conversation_flow`` (small talk, language, /forget) and ``crisis_route``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from sqlalchemy.exc import SQLAlchemyError

from bot.context import AppContext
from bot.dialogue import render
from bot.dialogue.conversation_flow import ConversationFlow
from bot.dialogue.crisis_route import CrisisRoute
from bot.dialogue.network_flow import (
    NETWORK_KEEPS,
    NETWORK_PENDING,
    NetworkFlow,
    network_choices,
    without_network,
)
from bot.dialogue.remember import remember
from bot.dialogue.request_flow import RequestFlow
from bot.dialogue.routing import decide
from bot.dialogue.search_flow import SEARCH_ROUTES, SearchFlow
from bot.errors import DomainError, place_of
from bot.requests import followup
from bot.taxonomy import Intent, Route, Topic
from bot.vocabulary import ButtonIntent, DialogueState, Option, Outcome, Turn

log = logging.getLogger(__name__)

__all__ = ["SEARCH_ROUTES", "Engine", "network_choices", "without_network"]

#: The menu options that start a route of the ladder.
OPTION_ROUTES = {
    Option.PEER_GROUP: Route.PEER_GROUP,
    Option.VOLUNTEER_HELP: Route.VOLUNTEER_HELP,
    Option.VOLUNTEER_SIGNUP: Route.VOLUNTEER_SIGNUP,
    Option.MEETINGS: Route.MEETINGS,
}

#: Intents that say what the person wants: they decide even while a question is open.
WISH_INTENT_NAMES = frozenset(
    {Intent.SEEK_PEER_GROUP, Intent.SEEK_PRACTICAL_HELP, Intent.OFFER_HELP, Intent.REQUEST_HUMAN}
)

#: Short messages of these intents are not a question for a coordinator, even when the bot
#: has just asked for one.
COURTESY = frozenset({Intent.THANKS, Intent.GOODBYE, Intent.DENY, Intent.GREET})
COURTESY_WORDS = 4


@dataclass
class Engine(SearchFlow, RequestFlow, NetworkFlow, ConversationFlow, CrisisRoute):
    """Decides the answer to one turn, using the service layer for everything it knows."""

    context: AppContext

    def respond(self, turn: Turn, state: DialogueState) -> Outcome:
        """Answer ``turn`` given ``state``; never raises: whatever fails while answering, the
        person gets a kind answer in their language (:meth:`_failed`)."""
        state = state.with_(language=turn.language)
        try:
            outcome = self._answer(turn, state)
        except Exception as error:  # the error boundary: every failure, not only the database
            outcome = self._failed(turn, state, error)
        return self._forget_network(outcome)

    def _answer(self, turn: Turn, state: DialogueState) -> Outcome:
        # The crisis lexicon and the per-sentence model answered before the core called the
        # engine; here the model's reading of the whole message decides.
        decision = decide(turn.nlu, turn.language, False, turn.text)
        if decision.route == Route.CRISIS_LINE:
            return self._crisis(turn, state, decision.topic)
        if decision.topic and decision.topic != turn.nlu.topic:
            turn = replace(turn, nlu=replace(turn.nlu, topic=decision.topic))
        return self._dispatch(turn, state)

    @staticmethod
    def _failed(turn: Turn, state: DialogueState, error: Exception) -> Outcome:
        """The answer when answering failed, and one log line: the error's type and where it
        was raised, never its text (it can carry what the person wrote)."""
        language = turn.language
        if isinstance(error, SQLAlchemyError):
            # The log formatter withholds exception texts (SQL parameters are hidden too).
            log.exception("database unavailable while answering")
            return Outcome(render.database_down(language), state, Route.FALLBACK)
        log.error("answering failed: %s at %s", type(error).__name__, place_of(error))
        if isinstance(error, DomainError) and error.message:
            # A typed error that carries a reason for the person: say that, in their language.
            return Outcome(render.refused(language, error.message, error.values), state,
                           Route.FALLBACK)
        return Outcome(render.went_wrong(language), state, Route.FALLBACK)

    @staticmethod
    def _forget_network(outcome: Outcome) -> Outcome:
        """The "help me ask" choices live only as long as that flow (or practical help): a
        turn that goes elsewhere forgets them."""
        if outcome.route in NETWORK_KEEPS or not any(network_choices(outcome.state).values()):
            return outcome
        return replace(outcome, state=without_network(outcome.state))

    def _dispatch(self, turn: Turn, state: DialogueState) -> Outcome:
        intent = turn.nlu.intent
        topic = turn.nlu.topic if turn.nlu.topic in set(Topic) else None
        if topic is None and turn.facts is not None and turn.facts.topics:
            topic = turn.facts.topics[0]  # heard in one sentence of a longer message
        if topic and topic != state.topic:
            # A new, clearer problem replaces the old one (and the second one named with it).
            state = state.with_(topic=topic, second_topic=None)
        if turn.facts is not None:
            state = remember(state, turn.facts)

        # Button intents first: they are exact.
        handler = {
            ButtonIntent.START: self._start,
            ButtonIntent.CHOOSE_OPTION: self._choose_option,
            ButtonIntent.CHOOSE_TOPIC: self._choose_topic,
            ButtonIntent.CHOOSE_PLACE: self._choose_place,
            ButtonIntent.SHOW_MORE: self._show_more,
            ButtonIntent.CHOOSE_LANGUAGE: self._choose_language,
            ButtonIntent.OPEN_GROUP: self._open_group,
            ButtonIntent.CONFIRM_FORGET: self._confirm_forget,
            ButtonIntent.REMIND_ME: self._remind_me,
            ButtonIntent.CALENDAR: self._calendar,
            ButtonIntent.STOP_REMINDER: self._stop_reminder,
            ButtonIntent.NETWORK_WHO: self._network_answer,
            ButtonIntent.NETWORK_WHAT: self._network_answer,
            ButtonIntent.NETWORK_WHEN: self._network_answer,
            ButtonIntent.NETWORK_DRAFT: self._network_version,
            ButtonIntent.NETWORK_DUTCH: self._network_version,
        }.get(intent)
        if handler is not None:
            return handler(turn, state)

        # Free text while we wait for something specific: an answer in words to the bot's
        # own question (the question asked last is part of the state).
        if state.pending == "question" and turn.text and not self._just_courtesy(turn):
            return self._draft_question(turn, state)
        if state.pending == "place" and turn.text:
            outcome = self._place_from_text(turn, state)
            if outcome is not None:
                return outcome
        if state.pending == "topic" and topic and intent not in WISH_INTENT_NAMES:
            return self._advance(turn, state.with_(page=0, pending=None))
        if state.pending in NETWORK_PENDING and turn.text:
            outcome = self._network_from_text(turn, state)
            if outcome is not None:
                return outcome

        text_handler = {
            Intent.GREET: self._greet,
            Intent.GOODBYE: self._goodbye,
            Intent.THANKS: self._thanks,
            Intent.AFFIRM: self._affirm,
            Intent.DENY: self._deny,
            Intent.SHARE_SITUATION: self._share_situation,
            Intent.SEEK_PEER_GROUP: self._seek(Route.PEER_GROUP),
            Intent.SEEK_PRACTICAL_HELP: self._seek(Route.VOLUNTEER_HELP),
            Intent.OFFER_HELP: self._seek(Route.VOLUNTEER_SIGNUP),
            Intent.FIND_MEETINGS: self._find_meetings,
            Intent.ASK_PRIVACY: self._privacy,
            Intent.REQUEST_HUMAN: self._request_human,
            Intent.DELETE_DATA: self._delete_data,
            Intent.CHANGE_LANGUAGE: self._change_language,
            Intent.INFORM_LOCATION: self._inform_location,
            Intent.ASK_NETWORK: self._ask_network,
            Intent.BOT_HELP: self._help,
        }.get(Intent(intent) if intent in set(Intent) else Intent.OUT_OF_SCOPE)
        if text_handler is None or decide(turn.nlu, turn.language, False).route == Route.FALLBACK:
            return self._not_understood(turn, state)
        return text_handler(turn, state)

    @staticmethod
    def _just_courtesy(turn: Turn) -> bool:
        """"Ok, thanks" or "no, never mind" while the bot waits for a question: not the
        question itself."""
        short = len(turn.text.split()) <= COURTESY_WORDS
        return short and turn.nlu.intent in COURTESY and turn.nlu.confidence >= 0.5

    def _not_understood(self, turn: Turn, state: DialogueState) -> Outcome:
        """Not understood as an answer nor as anything else: while the bot waits for an answer
        it asks the same question again (with its buttons), else the kind fallback. Either way
        the route is the fallback, so it is counted as not understood."""
        if state.pending in NETWORK_PENDING:
            return self._network_next(turn, state, sorry=True)
        language = turn.language
        again = {
            "place": lambda: render.place_unknown(language, turn.text),
            "topic": lambda: render.ask_topic(language),
        }.get(state.pending or "")
        if again is not None:
            return Outcome(again(), state, Route.FALLBACK)
        return self._fallback(turn, state)

    def _choose_option(self, turn: Turn, state: DialogueState) -> Outcome:
        option = turn.entity("option")
        language = turn.language
        if followup.handles(option):
            # Reply / withdraw / feedback buttons carry a request code or feedback token.
            return followup.handle(self.context, turn, state, option or "")
        if option in OPTION_ROUTES:
            state = state.with_(route=OPTION_ROUTES[option], page=0, pending=None)
            if option == Option.MEETINGS:
                return self._find_meetings(turn, state)
            return self._advance(turn, state)
        if option == Option.HUMAN:
            return self._request_human(turn, state)
        if option == Option.ASK_NETWORK:
            return self._network_next(turn, state, intro=True)
        if option == Option.INFO:
            return Outcome(render.information(language, state.topic), state, Route.CONVERSATION)
        if option == Option.ANOTHER_TOPIC:
            state = state.with_(topic=None, page=0, pending="topic")
            return Outcome(render.ask_topic(language), state, state.route or Route.CONVERSATION)
        if option == Option.SEND_QUESTION:
            return self._send_question(turn, state)
        if option == Option.CANCEL:
            return self._deny(turn, state.with_(pending=state.pending or "question"))
        if option == Option.WOMEN_ONLY:
            return self._advance(turn, state.with_(women_only=not state.women_only, page=0))
        return Outcome(render.main_menu(language), state.with_(pending=None), Route.CONVERSATION)
