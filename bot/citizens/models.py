"""Citizen profile: only the pseudonym and chosen preferences (privacy.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class CitizenProfile(Base):
    """A pseudonym and the language the citizen speaks with the bot."""

    __tablename__ = "citizen_profile"

    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When the person last wrote to the bot (taken from their conversation state by the
    # retention job); the profile is deleted after ``profile_inactive_days`` without contact.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
