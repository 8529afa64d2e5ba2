"""The one home of a conversation's state (privacy.md: facts only, never message text)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class ConversationState(Base):
    """The facts a dialogue keeps between turns, per pseudonym and flow.

    ``flow`` separates the citizen dialogue from a facilitator's guided steps, which one
    person may have open at the same time. ``facts`` is JSON written by the flow's own typed
    state (``bot/conversation/state_store.py``); it never holds what a person typed.
    """

    __tablename__ = "conversation_state"

    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow: Mapped[str] = mapped_column(String(16), primary_key=True)
    facts: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The purge job deletes by age.
    __table_args__ = (Index("ix_conversation_state_updated_at", "updated_at"),)


class HandledUpdate(Base):
    """A Telegram update that was answered, so one delivered again is answered once.

    Telegram sends an update again when a webhook got no 200 (a worker died mid-turn), and the
    retry may reach another worker. The update id is a counter of the bot's updates, not a
    person's id; rows older than ``update_memory_hours`` are deleted by the purge job.
    """

    __tablename__ = "handled_update"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
