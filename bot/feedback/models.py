"""Feedback invitations (short-lived, per citizen) and tallies (aggregates only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class FeedbackInvite(Base):
    """A citizen agreed to be asked "did this help?" once, later.

    Keyed by pseudonym only so /forget can remove it; the chat id lives sealed in the outbox
    message that asks the question. Deleted once answered or when it lapses.
    """

    __tablename__ = "feedback_invite"

    token: Mapped[str] = mapped_column(String(16), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(16))  # request | search
    topic: Mapped[str] = mapped_column(String(32), default="")
    language: Mapped[str] = mapped_column(String(8))
    municipality_code: Mapped[str] = mapped_column(String(8), default="")
    grade: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ask_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class FeedbackTally(Base):
    """How often a grade (1–10) or a reason was given per week × topic × language × place."""

    __tablename__ = "feedback_tally"

    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    measure: Mapped[str] = mapped_column(String(8), primary_key=True)  # grade | reason
    value: Mapped[str] = mapped_column(String(16), primary_key=True)  # "7" or a reason id
    count: Mapped[int] = mapped_column(Integer, default=0)
