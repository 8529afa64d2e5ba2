"""Help me ask: show the drafted request (and its Dutch copy) and count that one was made.

Only an anonymous counter is kept: event, language and week. No topic, no municipality, and
nothing of who, what or when (those live in the conversation state until this moment and are
forgotten by the engine as the draft is shown).
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.context import AppContext
from bot.network import render
from bot.network.choices import DraftSpec
from bot.stats.counters import Event, count
from bot.vocabulary import Reply

log = logging.getLogger(__name__)


def first_draft(context: AppContext, spec: DraftSpec, language: str) -> tuple[Reply, ...]:
    """The draft once all three choices are made; counted (a database outage never blocks
    the answer)."""
    try:
        with context.database.session() as session:
            count(session, Event.NETWORK_DRAFT, language=language, now=context.clock())
    except SQLAlchemyError:
        log.warning("network draft shown; counter not saved (database unavailable)")
    return render.first_draft(language, spec)


def another_version(spec: DraftSpec, language: str, *, dutch_only: bool) -> tuple[Reply, ...]:
    """A shorter, warmer or first version, or (``dutch_only``) just the Dutch copy; these are
    the same request again, so they are not counted."""
    if dutch_only:
        return render.dutch_copy(language, spec)
    return render.other_version(language, spec)
