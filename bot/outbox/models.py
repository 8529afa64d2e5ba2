"""The outbox table: what to send, to a sealed chat id, from when."""

from __future__ import annotations

import base64
import json
from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow
from bot.vocabulary import Reply


class OutboundMessage(Base):
    """One message waiting to be delivered by the bot process.

    Only the sealed chat id is stored (privacy.md); it is sealed for ``purpose`` so a token
    copied from one row cannot be opened for another use. The row is deleted once Telegram
    took it (bot/outbox/sending.py).
    """

    __tablename__ = "outbound_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    purpose: Mapped[str] = mapped_column(String(64), index=True)  # e.g. request:AB-CDE
    chat_token: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # Telegram HTML, already in the reader's language
    buttons: Mapped[str | None] = mapped_column(Text)  # JSON of Reply.to_json()["buttons"]
    document_name: Mapped[str | None] = mapped_column(String(100))
    document: Mapped[str | None] = mapped_column(Text)  # base64
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Transient failures so far; a row with attempts > 0 is the first unsent message of its
    # chat, and the chat's later messages wait behind it.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Set (and committed) just before the message goes to Telegram: a row found with it set
    # was perhaps sent by a sender that died before deleting it. It is sent again (a loss
    # never) and counted as a possible duplicate.
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def reply(self) -> Reply:
        """The message as the dialogues made it: text, buttons and document."""
        reply = Reply.from_json({"text": self.text, "buttons": json.loads(self.buttons or "[]")})
        if self.document_name and self.document:
            return Reply(
                reply.text, reply.buttons, (self.document_name, base64.b64decode(self.document))
            )
        return reply
