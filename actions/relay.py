"""Relay a citizen's confirmed, scrubbed question to the coordinators."""

from __future__ import annotations

from bot.context import AppContext
from bot.requests import service as request_service
from bot.stats.counters import Event, count
from bot.vocabulary import DialogueState


def relay_question(
    context: AppContext, *, pseudonym: str, text: str, state: DialogueState, language: str,
    chat_token: str | None,
) -> str:
    """Store the question as an anonymous request (with the sealed chat id the answer goes
    back to) and count it; returns the short request code the person and the coordinator see.

    ``text`` is already scrubbed and confirmed by the person (privacy.md).
    """
    with context.database.session() as session:
        request = request_service.create_request(
            session,
            context,
            pseudonym=pseudonym,
            text=text,
            topic=state.topic,
            language=language,
            municipality_code=state.place_code,
            chat_token=chat_token,
        )
        count(
            session,
            Event.REQUEST,
            topic=state.topic,
            language=language,
            municipality_code=state.place_code,
            now=context.clock(),
        )
        return request.code
