"""The dialogue engine: one turn in, replies and new state out.

It follows the routing ladder of product.md: acknowledge, offer options as buttons, ask for
the place only when a search needs it, accept "online is fine" and "I'd rather not say",
show at most three results at a time, and help the person ask someone they know ("help me
ask": who, what, when, then a draft they send themselves). The conversation core
(``bot/conversation/pipeline.py``) calls :meth:`Engine.respond` with the meaning of the turn,
from the NLU service or, when it is down, from the bot's keywords, so there is one dialogue,
not two. What a turn *does* (search, relay, remind, forget, show a draft) is in ``actions/``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from sqlalchemy.exc import SQLAlchemyError

from actions import ask_network as ask_network_action
from actions import forget as forget_action
from actions import relay as relay_action
from actions import remind as remind_action
from actions import search as search_action
from bot.context import AppContext
from bot.conversation.local_nlu import keyword_choices
from bot.dialogue import render
from bot.dialogue.remember import remember, remember_with_topic
from bot.dialogue.routing import decide
from bot.errors import DomainError, place_of
from bot.network import render as network_render
from bot.network.choices import SLOTS, DraftSpec, What, When, Who, parse
from bot.privacy.scrub import scrub
from bot.requests import followup
from bot.safety.answer import crisis_replies
from bot.safety.net import signal_for
from bot.stats.counters import Event, count
from bot.taxonomy import Intent, Route, Topic
from bot.vocabulary import (
    ALL_LANGUAGES,
    BUTTON_ENTITY,
    ONLINE,
    SKIP,
    ButtonIntent,
    DialogueState,
    MessageFacts,
    Option,
    Outcome,
    Turn,
)

log = logging.getLogger(__name__)

#: Routes that end in a directory search.
SEARCH_ROUTES = {Route.PEER_GROUP, Route.VOLUNTEER_HELP, Route.VOLUNTEER_SIGNUP}

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


@dataclass
class Engine:
    """Decides the answer to one turn, using the service layer for everything it knows."""

    context: AppContext

    # ----------------------------------------------------------------- entry point
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

    # ------------------------------------------------------------------ dispatch
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

    # ------------------------------------------------------------------ crisis
    def _crisis(self, turn: Turn, state: DialogueState, topic: str | None) -> Outcome:
        # The kinds decide which line comes first (safety.md rule 2): the lexicon's when it
        # matched, else cue words and the topic (the model alone found the crisis).
        signal = signal_for(turn.text, topic)
        replies = crisis_replies(turn.language, signal.kinds, minor=signal.minor)
        self._count_crisis(turn.language, signal.kind)
        if turn.facts is not None:
            # What else the message said (a place, a problem) is kept for the next turn, as
            # on the pipeline's own crisis path: nothing said is asked again.
            state = remember_with_topic(state, turn.facts)
        return Outcome(tuple(replies), state.with_(pending=None), Route.CRISIS_LINE)

    # ------------------------------------------------------------- conversation
    def _start(self, turn: Turn, state: DialogueState) -> Outcome:
        group = turn.entity("group")
        if group:
            return self._open_group(turn, state)
        fresh = DialogueState(language=turn.language)
        return Outcome(render.welcome(turn.language), fresh, Route.CONVERSATION)

    def _greet(self, turn: Turn, state: DialogueState) -> Outcome:
        return Outcome(
            render.greeting(turn.language), state.with_(pending="option"), Route.CONVERSATION
        )

    def _goodbye(self, turn: Turn, state: DialogueState) -> Outcome:
        return Outcome(render.goodbye(turn.language), state.with_(pending=None), Route.CONVERSATION)

    def _thanks(self, turn: Turn, state: DialogueState) -> Outcome:
        return Outcome(render.thanks(turn.language), state, Route.CONVERSATION)

    def _help(self, turn: Turn, state: DialogueState) -> Outcome:
        return Outcome(render.help_text(turn.language), state, Route.CONVERSATION)

    def _privacy(self, turn: Turn, state: DialogueState) -> Outcome:
        hours = self.context.settings.conversation_expiry_hours
        return Outcome(render.privacy(turn.language, hours), state, Route.PRIVACY_INFO)

    def _fallback(self, turn: Turn, state: DialogueState) -> Outcome:
        return Outcome(render.fallback(turn.language), state.with_(pending=None), Route.FALLBACK)

    def _affirm(self, turn: Turn, state: DialogueState) -> Outcome:
        if state.pending == "confirm_forget":
            return self._confirm_forget(turn, state)
        if state.pending == "confirm_question":
            return self._send_question(turn, state)
        if state.pending in NETWORK_PENDING:
            return self._network_next(turn, state)
        if state.route in SEARCH_ROUTES:
            return self._advance(turn, state)
        if state.pending == "option" and state.topic:
            # "Yes please" to "what would help you most?" after a problem: the first rung
            # offered, a group of people who went through the same.
            return self._advance(turn, state.with_(route=Route.PEER_GROUP, page=0, pending=None))
        return Outcome(
            render.main_menu(turn.language), state.with_(pending="option"), Route.CONVERSATION
        )

    def _deny(self, turn: Turn, state: DialogueState) -> Outcome:
        if state.pending in {"confirm_forget", "confirm_question", "question", *NETWORK_PENDING}:
            return Outcome(
                render.cancelled(turn.language),
                state.with_(pending=None, draft=None, request_code=None),
                Route.CONVERSATION,
            )
        return Outcome(
            render.no_problem(turn.language), state.with_(pending=None), Route.CONVERSATION
        )

    # ------------------------------------------------------------------ language
    def _change_language(self, turn: Turn, state: DialogueState) -> Outcome:
        wanted = turn.entity("language")
        if wanted in ALL_LANGUAGES:
            return self._set_language(turn, state, wanted)
        return Outcome(render.language_menu(turn.language), state, Route.CONVERSATION)

    def _choose_language(self, turn: Turn, state: DialogueState) -> Outcome:
        wanted = turn.entity("language")
        if wanted not in ALL_LANGUAGES:
            return Outcome(render.language_menu(turn.language), state, Route.CONVERSATION)
        return self._set_language(turn, state, wanted)

    def _set_language(self, turn: Turn, state: DialogueState, language: str) -> Outcome:
        return Outcome(
            render.language_set(language),
            state.with_(language=language),
            Route.CONVERSATION,
            facts={"language": language},
        )

    # ------------------------------------------------------------------ routing ladder
    def _share_situation(self, turn: Turn, state: DialogueState) -> Outcome:
        state = state.with_(route=None, page=0, pending=None)
        if state.topic == Topic.VIOLENCE:
            return self._crisis(turn, state, Topic.VIOLENCE)
        # No wish said: "what would help you most?", and a typed answer to it is understood.
        return Outcome(
            render.acknowledge(turn.language, state.topic),
            state.with_(pending="option"),
            Route.PEER_GROUP,
        )

    def _seek(self, route: str):
        def handler(turn: Turn, state: DialogueState) -> Outcome:
            state = state.with_(route=route, page=0, pending=None)
            if route == Route.VOLUNTEER_HELP and turn.text:
                # "Can someone take me to the hospital?": if they later want help asking
                # someone they know, what for is known already (a code, not their words).
                what = parse("what", keyword_choices(turn.text).get("what"))
                state = state.with_(network_what=what or state.network_what)
            return self._advance(turn, state)

        return handler

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

    def _choose_topic(self, turn: Turn, state: DialogueState) -> Outcome:
        topic = turn.entity("topic")
        if topic not in set(Topic):
            return Outcome(render.ask_topic(turn.language), state, Route.CONVERSATION)
        # The other of two problems named at once stays on offer.
        second = state.topic if topic == state.second_topic else None
        state = state.with_(topic=topic, second_topic=second, page=0, pending=None)
        if topic == Topic.VIOLENCE:
            return self._crisis(turn, state, topic)
        if state.route is None:
            state = state.with_(route=Route.PEER_GROUP)
        return self._advance(turn, state)

    def _choose_place(self, turn: Turn, state: DialogueState) -> Outcome:
        value = turn.entity("place")
        if value in {ONLINE, SKIP}:
            state = state.with_(
                place_code=None, place_name=None, place_skipped=True, online=value == ONLINE,
                page=0,
            )
            return self._advance(turn, state.with_(pending=None))
        resolved = self._with_place(state, value or "")
        if resolved is None:
            return Outcome(
                render.place_unknown(turn.language, value or ""), state, Route.CONVERSATION
            )
        return self._advance(turn, resolved.with_(pending=None))

    def _inform_location(self, turn: Turn, state: DialogueState) -> Outcome:
        facts = turn.facts or MessageFacts()
        if state.route is None and facts.place_code:
            # Only where they live, no wish yet: kept, and "what would help you most?".
            return Outcome(
                render.main_menu(turn.language), state.with_(pending="option"), Route.CONVERSATION
            )
        outcome = self._place_from_text(turn, state)
        if outcome is not None:
            return outcome
        return Outcome(
            render.place_unknown(turn.language, turn.nlu.place or turn.text),
            state.with_(pending="place"),
            Route.CONVERSATION,
        )

    def _place_from_text(self, turn: Turn, state: DialogueState) -> Outcome | None:
        """A typed answer to "where?": a place, "online is fine" or "I'd rather not say"
        (the message's facts are in ``state`` already); ``None`` when it is none of them."""
        facts = turn.facts or MessageFacts()
        route = state.route or Route.PEER_GROUP
        if facts.place_code:
            return self._advance(turn, state.with_(route=route, pending=None, page=0))
        if facts.online or facts.rather_not_say:
            state = state.with_(
                place_code=None, place_name=None, place_skipped=True, online=facts.online
            )
            return self._advance(turn, state.with_(route=route, pending=None, page=0))
        return None

    def _with_place(self, state: DialogueState, text: str) -> DialogueState | None:
        match = self.context.gazetteer.resolve(text) or self.context.gazetteer.find_in_text(text)
        if match is None:
            return None
        return state.with_(place_code=match.code, place_name=match.name, place_skipped=False)

    def _advance(self, turn: Turn, state: DialogueState) -> Outcome:
        """Ask for what is still missing, or search."""
        language = turn.language
        route = state.route or Route.PEER_GROUP
        state = state.with_(route=route)
        if route == Route.PEER_GROUP and state.topic is None:
            return Outcome(render.ask_topic(language), state.with_(pending="topic"), route)
        if route in SEARCH_ROUTES and state.place_code is None and not state.place_skipped:
            return Outcome(render.ask_place(language), state.with_(pending="place"), route)
        if route == Route.MEETINGS:
            return self._find_meetings(turn, state)
        return self._search(turn, state)

    def _show_more(self, turn: Turn, state: DialogueState) -> Outcome:
        return self._search(turn, state.with_(page=state.page + 1))

    def _search(self, turn: Turn, state: DialogueState) -> Outcome:
        route = state.route or Route.PEER_GROUP
        outcome = search_action.search(self.context, state, turn.language)
        replies = render.results(
            turn.language, outcome, state, self.context.settings.results_per_page,
            self.context.settings.zone,
        )
        return Outcome(
            replies, state.with_(pending=None), route, facts={"results": len(outcome.results)}
        )

    # ------------------------------------------------------------------ groups and meetings
    def _open_group(self, turn: Turn, state: DialogueState) -> Outcome:
        return self._show_group(turn.entity("group") or "", turn.language, state)

    def _show_group(self, group_id: str, language: str, state: DialogueState) -> Outcome:
        """A group with its upcoming meetings (button, deep link or "when is the next one?")."""
        view = search_action.show_group(self.context, group_id)
        if view is None:
            return Outcome(render.group_not_found(language), state, Route.CONVERSATION)
        return Outcome(
            render.group_detail(language, view.card, view.meetings, self.context.settings.zone),
            state.with_(group_id=view.card.id, pending=None),
            Route.MEETINGS,
        )

    def _find_meetings(self, turn: Turn, state: DialogueState) -> Outcome:
        if state.group_id:
            return self._show_group(state.group_id, turn.language, state)
        return self._advance(turn, state.with_(route=Route.PEER_GROUP))

    # ------------------------------------------------------------------ reminders
    def _remind_me(self, turn: Turn, state: DialogueState) -> Outcome:
        reply = remind_action.subscribe(
            self.context, turn.pseudonym, turn.chat_token, turn.entity("group") or "",
            turn.language,
        )
        return Outcome((reply,), state, Route.MEETINGS)

    def _calendar(self, turn: Turn, state: DialogueState) -> Outcome:
        reply = remind_action.calendar(self.context, turn.entity("group") or "", turn.language)
        return Outcome((reply,), state, Route.MEETINGS)

    def _stop_reminder(self, turn: Turn, state: DialogueState) -> Outcome:
        reply = remind_action.stop(
            self.context, turn.pseudonym, turn.entity("reminder"), turn.language
        )
        return Outcome((reply,), state, Route.MEETINGS)

    # ------------------------------------------------------------------ a person
    def _request_human(self, turn: Turn, state: DialogueState) -> Outcome:
        return Outcome(
            render.ask_question(turn.language),
            state.with_(pending="question", route=Route.HUMAN_CONTACT),
            Route.HUMAN_CONTACT,
        )

    def _draft_question(self, turn: Turn, state: DialogueState) -> Outcome:
        cleaned = scrub(turn.text)
        return Outcome(
            render.confirm_question(turn.language, cleaned.text),
            state.with_(pending="confirm_question", draft=cleaned.text),
            Route.HUMAN_CONTACT,
        )

    def _send_question(self, turn: Turn, state: DialogueState) -> Outcome:
        if not state.draft or not turn.pseudonym:
            return Outcome(
                render.ask_question(turn.language),
                state.with_(pending="question"),
                Route.HUMAN_CONTACT,
            )
        if state.request_code:
            # A reply in an existing thread, not a new question.
            return followup.store_reply(self.context, turn, state)
        code = relay_action.relay_question(
            self.context,
            pseudonym=turn.pseudonym,
            text=state.draft,
            state=state,
            language=turn.language,
            chat_token=turn.chat_token,
        )
        return Outcome(
            render.question_stored(turn.language, code),
            state.with_(pending=None, draft=None),
            Route.HUMAN_CONTACT,
        )

    # ------------------------------------------------------------------ help me ask
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

    # ------------------------------------------------------------------ forget
    def _delete_data(self, turn: Turn, state: DialogueState) -> Outcome:
        return Outcome(
            render.confirm_forget(turn.language),
            state.with_(pending="confirm_forget"),
            Route.DATA_DELETION,
        )

    def _confirm_forget(self, turn: Turn, state: DialogueState) -> Outcome:
        if turn.pseudonym:
            forget_action.forget(self.context, turn.pseudonym)
        return Outcome(
            render.forgotten(turn.language),
            DialogueState(language=turn.language),
            Route.DATA_DELETION,
            facts={"forgotten": True},
        )

    # ------------------------------------------------------------------ helpers
    def _count_crisis(self, language: str, kind: str) -> None:
        """safety.md rule 5: only that a crisis answer was shown, its kind, language and week
        (no topic, no municipality: small cells could point at a person)."""
        try:
            with self.context.database.session() as session:
                count(session, Event.CRISIS_SHOWN, language=language, kind=kind,
                      now=self.context.clock())
        except Exception as error:  # counting must never cost a crisis answer
            log.warning("could not count a crisis answer: %s", type(error).__name__)

    def _count(self, event: Event, state: DialogueState, topic: str | None = None) -> None:
        """Count an anonymous event; a database outage must never block the answer."""
        try:
            with self.context.database.session() as session:
                count(
                    session,
                    event,
                    topic=topic or state.topic,
                    language=state.language,
                    municipality_code=state.place_code,
                    now=self.context.clock(),
                )
        except Exception as error:  # counting must never block the answer
            log.warning("could not count %s: %s", event.value, type(error).__name__)
