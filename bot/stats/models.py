"""The only statistics table: counters per event kind and cell, never per person."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class StatCounter(Base):
    """How often ``event`` happened for one topic × language × municipality × ISO week
    (and, for crisis answers, kind)."""

    __tablename__ = "stat_counter"

    event: Mapped[str] = mapped_column(String(32), primary_key=True)
    week: Mapped[str] = mapped_column(String(8), primary_key=True)  # e.g. 2026-W48
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)  # "" when unknown
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(8), primary_key=True)  # "" unknown
    # The kind of crisis for crisis_shown (safety.md rule 5: the counter records the kind);
    # "" for every other event.
    kind: Mapped[str] = mapped_column(String(24), primary_key=True, server_default="")
    count: Mapped[int] = mapped_column(Integer, default=0)
