"""Tombstones: what /forget and "stop reminders" deleted, so a restore cannot bring it back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime


class Tombstone(Base):
    """A deletion a citizen asked for, as a one-way hash of what was deleted.

    ``digest`` is SHA-256 of ``kind`` and the pseudonym (or subscription id), never the value
    itself. It is kept for ``backup_max_age_days`` (as long as a backup that still holds the
    deleted rows may be restored) and then deleted; docs/security.md says why this is enough.
    """

    __tablename__ = "tombstone"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # pseudonym | subscription
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
