"""/forget: delete everything tied to a pseudonym (privacy.md)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.citizens.models import CitizenProfile
from bot.conversation import state_store
from bot.feedback import service as feedback
from bot.outbox import service as outbox
from bot.reminders import subscriptions as reminder_subscriptions
from bot.requests.models import HelpRequest


def forget_citizen(session: Session, pseudonym: str) -> int:
    """Delete the profile, requests and subscriptions of ``pseudonym``; returns rows removed.

    Aggregate counters are not tied to anyone and stay. The conversation state goes too (both
    flows); the NLU service keeps nothing to clear.
    """
    codes = session.scalars(
        select(HelpRequest.code).where(HelpRequest.pseudonym == pseudonym)
    ).all()
    removed = sum(outbox.discard(session, f"request:{code}") for code in codes)
    removed += reminder_subscriptions.forget(session, pseudonym)
    # Feedback invitations and their queued question; request threads go with the requests.
    removed += feedback.forget(session, pseudonym)
    removed += state_store.forget(session, pseudonym)
    for model in (HelpRequest, CitizenProfile):
        result = session.execute(delete(model).where(model.pseudonym == pseudonym))
        removed += result.rowcount or 0  # type: ignore[attr-defined]
    return removed
