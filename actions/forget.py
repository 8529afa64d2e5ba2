"""/forget: delete everything tied to a person (privacy.md)."""

from __future__ import annotations

from bot.context import AppContext
from bot.privacy.forget import forget_citizen
from bot.requests.retention import after_forget


def forget(context: AppContext, pseudonym: str) -> int:
    """Delete the person's preferences, conversation state, subscriptions, requests, feedback
    and queued messages; returns how many rows went. Aggregate counters stay."""
    with context.database.session() as session:
        removed = forget_citizen(session, pseudonym, now=context.clock())
    after_forget(context)
    return removed
