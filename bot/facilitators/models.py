"""Facilitators, their groups, invitations and recurring meeting series.

A facilitator is staff: known by a keyed pseudonym of the Telegram user id (distinct from
citizen pseudonyms) and a display name they chose, never by their Telegram profile.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


def _key_of(target: str, *, index: bool = False) -> Mapped[str]:
    """A primary-key column that points at ``target`` (``table.column``): the row belongs to
    the one it points at and is deleted with it."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), primary_key=True, index=index)


class Facilitator(Base):
    """A group leader who manages meetings through the bot."""

    __tablename__ = "facilitator"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(8), default="nl")
    # The chat id sealed for purpose ``facilitator:<id>``, for the thank-you after a meeting;
    # removed when they leave or are revoked.
    chat_token: Mapped[str | None] = mapped_column(Text)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FacilitatorGroup(Base):
    """That a facilitator runs a group (a ``peer_group`` service)."""

    __tablename__ = "facilitator_group"

    facilitator_id: Mapped[str] = _key_of("facilitator.id")
    service_id: Mapped[str] = _key_of("service.id", index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Invitation(Base):
    """A single-use, expiring invitation to become facilitator of one group.

    Only a SHA-256 hash of the token in the deep link is stored (like staff session tokens):
    whoever reads the database or a backup cannot accept an open invitation.
    """

    __tablename__ = "facilitator_invitation"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(100))  # coordinator account or "cli"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by: Mapped[str | None] = mapped_column(
        ForeignKey("facilitator.id", ondelete="SET NULL"), index=True
    )


class MeetingSeries(Base):
    """A recurring meeting as an RRULE in Europe/Amsterdam wall-clock time.

    Concrete :class:`~bot.directory.models.Meeting` rows are materialised from it for the
    coming weeks (``Meeting.series_id`` = this id), so search, cards and reminders only ever
    look at meetings.
    """

    __tablename__ = "meeting_series"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    rrule: Mapped[str] = mapped_column(String(300))
    dtstart: Mapped[str] = mapped_column(String(32))  # local ISO, e.g. 2026-03-03T19:30:00
    duration_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("facilitator.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SeriesOccurrence(Base):
    """Which occurrence of a series a meeting row is (its original start), and whether it
    was edited on its own (then series edits leave it alone)."""

    __tablename__ = "series_occurrence"
    __table_args__ = (UniqueConstraint("series_id", "original_start"),)

    meeting_id: Mapped[str] = _key_of("meeting.id")
    series_id: Mapped[str] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="CASCADE"), index=True
    )
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)
    detached: Mapped[bool] = mapped_column(Boolean, default=False)


class ThankYouSent(Base):
    """The thank-you after a meeting went to this facilitator (never twice)."""

    __tablename__ = "facilitator_thanks"

    meeting_id: Mapped[str] = _key_of("meeting.id")
    facilitator_id: Mapped[str] = _key_of("facilitator.id")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
