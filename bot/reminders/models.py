"""Anonymous subscriptions to a group's meetings and the reminders already sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class Subscription(Base):
    """"Remind me" for one group: a pseudonym, a sealed chat id and a language. No name."""

    __tablename__ = "reminder_subscription"
    __table_args__ = (UniqueConstraint("pseudonym", "service_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    # The chat id sealed for purpose ``subscription:<id>``; the row (and so the token) is
    # deleted when the subscription ends.
    chat_token: Mapped[str] = mapped_column(Text)
    lead_minutes: Mapped[str] = mapped_column(String(64))  # e.g. "1440,120"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the person last subscribed or wrote to the bot; the subscription (and with it the
    # sealed chat id) is deleted after ``subscription_inactive_days`` without contact.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ReminderSent(Base):
    """One message about one meeting to one subscription; the unique key makes it once-only.

    ``kind`` is ``before:<minutes>``, ``cancelled`` or ``moved:<new start ISO>``.
    """

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("subscription_id", "meeting_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("reminder_subscription.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[str] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    # The queued outbox message, so a reminder not yet delivered can be withdrawn when the
    # meeting is cancelled (never a reminder after a cancellation).
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
