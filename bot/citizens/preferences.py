"""Remembered language per pseudonym."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.citizens.models import CitizenProfile


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
