"""The dialogue engine's request flow: a question for a person (a coordinator), scrubbed,
shown back and stored under a code."""

from __future__ import annotations

from actions import relay as relay_action
from bot.context import AppContext
from bot.dialogue import render
from bot.privacy.scrub import scrub
from bot.requests import followup
from bot.taxonomy import Route
from bot.vocabulary import DialogueState, Outcome, Turn


class RequestFlow:
    """Asking a person, anonymously.

    Mixed into :class:`~bot.dialogue.engine.Engine`, whose other flows it calls.
    """

    context: AppContext

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
