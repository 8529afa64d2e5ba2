"""Remembered language per pseudonym, until the person has not written for a long time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.citizens.models import CitizenProfile
from bot.conversation.models import ConversationState


def get_language(session: Session, pseudonym: str) -> str | None:
    """The language this pseudonym last spoke, or ``None`` when unknown."""
    profile = session.get(CitizenProfile, pseudonym)
    return profile.language if profile else None


def set_language(session: Session, pseudonym: str, language: str) -> None:
    """Remember ``language`` for ``pseudonym`` (insert or update)."""
    profile = session.get(CitizenProfile, pseudonym)
    if profile is None:
        session.add(CitizenProfile(pseudonym=pseudonym, language=language))
    elif profile.language != language:
        profile.language = language


def note_activity(session: Session) -> int:
    """Move each profile's ``last_seen_at`` up to its person's latest conversation turn (the
    retention job calls this before it purges idle states); returns the profiles updated."""
    latest = (select(func.max(ConversationState.updated_at))
              .where(ConversationState.pseudonym == CitizenProfile.pseudonym).scalar_subquery())
    result = session.execute(
        update(CitizenProfile).where(latest > CitizenProfile.last_seen_at)
        # updated_at is when the language changed; this is not a change of the profile.
        .values(last_seen_at=latest, updated_at=CitizenProfile.updated_at)
        .execution_options(synchronize_session=False))
    return result.rowcount or 0  # type: ignore[attr-defined]


def purge_inactive(session: Session, cutoff: datetime) -> int:
    """Delete the profiles of people not seen since ``cutoff``; returns how many."""
    result = session.execute(delete(CitizenProfile).where(CitizenProfile.last_seen_at < cutoff))
    return result.rowcount or 0  # type: ignore[attr-defined]
