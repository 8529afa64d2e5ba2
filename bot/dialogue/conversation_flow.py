"""The dialogue engine's conversation around the options: welcome, greeting, thanks, help,
privacy, yes and no, the language, and /forget."""

from __future__ import annotations

from actions import forget as forget_action
from bot.context import AppContext
from bot.dialogue import render
from bot.dialogue.network_flow import NETWORK_PENDING
from bot.dialogue.search_flow import SEARCH_ROUTES
from bot.taxonomy import Route
from bot.vocabulary import ALL_LANGUAGES, DialogueState, Outcome, Turn


class ConversationFlow:
    """The small talk, the language and forgetting.

    Mixed into :class:`~bot.dialogue.engine.Engine`, whose other flows it calls.
    """

    context: AppContext

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
