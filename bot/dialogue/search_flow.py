"""The dialogue engine's search flow: the routing ladder of product.md (acknowledge, the topic,
the place only when a search needs it, "online is fine" and "I'd rather not say"), the results,
a group's page with its meetings, and reminders for it."""

from __future__ import annotations

from actions import remind as remind_action
from actions import search as search_action
from bot.context import AppContext
from bot.conversation.local_nlu import keyword_choices
from bot.dialogue import render
from bot.network.choices import parse
from bot.taxonomy import Route, Topic
from bot.vocabulary import ONLINE, SKIP, DialogueState, MessageFacts, Outcome, Turn

#: Routes that end in a directory search.
SEARCH_ROUTES = {Route.PEER_GROUP, Route.VOLUNTEER_HELP, Route.VOLUNTEER_SIGNUP}


class SearchFlow:
    """From a situation or a wish to results, groups and meetings.

    Mixed into :class:`~bot.dialogue.engine.Engine`, whose other flows it calls.
    """

    context: AppContext

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
