"""Staff accounts and their server-side sessions. Never holds anything about citizens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UTCDateTime, utcnow

ROLES = ("coordinator", "admin")


class StaffUser(Base):
    """A dashboard account: a coordinator of one organisation, or an admin."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    # The organisation the coordinator works for; it decides which services they manage.
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    # Coordinators of organisations that serve the whole country or online also see requests
    # whose municipality is unknown (docs/dashboard.md).
    national: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipalities: Mapped[list[StaffMunicipality]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def municipality_codes(self) -> list[str]:
        """The municipality codes (CBS, e.g. GM0855) this account covers, sorted."""
        return sorted(m.municipality_code for m in self.municipalities)

    @property
    def is_admin(self) -> bool:
        """Admins see and manage everything."""
        return self.role == "admin"


class StaffMunicipality(Base):
    """One municipality a coordinator covers (their organisation's region)."""

    __tablename__ = "staff_municipality"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True
    )
    municipality_code: Mapped[str] = mapped_column(
        ForeignKey("municipality.code"), primary_key=True
    )


class StaffSession(Base):
    """A server-side login session. Only a hash of the cookie's token is stored.

    It ends at ``expires_at`` (the absolute lifetime) or when it has not been used for the
    idle timeout since ``last_seen_at``, whichever comes first.
    """

    __tablename__ = "staff_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginThrottle(Base):
    """Recent failed dashboard logins of one key, shared by every dashboard process.

    A key is a SHA-256 hash of either a username typed at one source address, or a source
    address alone (``bot.staff.throttle``); neither is stored in plain form. Known and unknown
    usernames get rows alike, so the table does not tell which accounts exist. A row is
    deleted at ``expires_at`` (the memory period after its last failure, or the end of its
    block if later).
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
