"""An anonymous request: scrubbed text under a short code, never who asked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


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
