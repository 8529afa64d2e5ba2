"""An anonymous request: scrubbed text under a short code, never who asked."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UTCDateTime, utcnow


class Status(StrEnum):
    """The life of a request (docs/dashboard.md)."""

    NEW = "new"  # waiting for a coordinator (also after the citizen replied)
    IN_PROGRESS = "in_progress"  # a coordinator wrote back but did not answer yet
    ANSWERED = "answered"  # a coordinator sent an answer
    CLOSED = "closed"  # a coordinator closed it; the chat id is gone
    WITHDRAWN = "withdrawn"  # the citizen withdrew it; the chat id is gone
    EXPIRED = "expired"  # nobody touched it for the retention period; the chat id is gone


#: Statuses in which the citizen can still be written to.
OPEN_STATUSES = frozenset({Status.NEW, Status.IN_PROGRESS, Status.ANSWERED})
#: Statuses of a request that ended; ``updated_at`` is when. ``request_retention_days`` later
#: the request is deleted with its text, pseudonym and thread.
ENDED_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN, Status.EXPIRED})


class HelpRequest(Base):
    """A question a citizen asked a person, as a coordinator will see it."""

    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    # Keyed by pseudonym so /forget and "reply again" find it; never shown to staff.
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)  # scrubbed
    topic: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    municipality_code: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    # The chat id, sealed for this request only; deleted when the request ends.
    chat_token: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    messages: Mapped[list[RequestMessage]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="RequestMessage.id",
        back_populates="request",
    )


class RequestMessage(Base):
    """One message in a request's thread after the first question.

    Citizen messages are scrubbed before they are stored, like the question. Coordinator
    messages keep the template used, the service referred to and the coordinator's own words.
    """

    __tablename__ = "request_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(16))  # citizen | coordinator
    text: Mapped[str] = mapped_column(Text, default="")  # scrubbed / own words
    template: Mapped[str | None] = mapped_column(String(32))
    service_id: Mapped[str | None] = mapped_column(String(64))
    staff_username: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[HelpRequest] = relationship(back_populates="messages")
