"""The audit log table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """One staff action. Never holds a citizen identifier, only request codes and ids."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_kind: Mapped[str] = mapped_column(
        String(16)
    )  # admin | coordinator | facilitator | system
    actor: Mapped[str] = mapped_column(String(100))  # account name or facilitator display name + id
    action: Mapped[str] = mapped_column(String(64), index=True)  # e.g. meeting.cancel
    target: Mapped[str] = mapped_column(
        String(200), default=""
    )  # e.g. meeting:<id>, request:AB-CDE
    detail: Mapped[str] = mapped_column(Text, default="")
