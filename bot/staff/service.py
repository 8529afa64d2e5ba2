"""Staff accounts: add, disable, reset, authenticate (with lockout), and sessions.

The dashboard, the CLI and the tests all go through these functions.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.audit import service as audit
from bot.directory.models import Municipality, Organisation
from bot.staff.models import ROLES, StaffMunicipality, StaffSession, StaffUser
from bot.staff.passwords import (
    MIN_LENGTH,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)


class StaffError(ValueError):
    """A request about an account that cannot be honoured (unknown name, weak password…)."""


class LoginResult(StrEnum):
    """Why a login succeeded or failed. The dashboard shows one neutral message for all
    failures so that it does not reveal which accounts exist."""

    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Authentication:
    """The outcome of :func:`authenticate`."""

    result: LoginResult
    user: StaffUser | None = None


def _check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise StaffError(f"password must be at least {MIN_LENGTH} characters")


def get_user(session: Session, username: str) -> StaffUser | None:
    """The account called ``username`` (case-insensitive), if any."""
    return session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()))


def list_users(session: Session) -> Sequence[StaffUser]:
    """Every account, by name."""
    return session.scalars(select(StaffUser).order_by(StaffUser.username)).all()


def add_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    organisation_id: str | None = None,
    municipality_codes: Sequence[str] = (),
    national: bool = False,
    actor: str = "cli",
) -> StaffUser:
    """Create an account. Coordinators must belong to an existing organisation."""
    username = username.strip().lower()
    if not username or len(username) > 64 or not username.replace(".", "").replace(
            "-", "").replace("_", "").isalnum():
        raise StaffError("username: use letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if get_user(session, username) is not None:
        raise StaffError(f"user {username} already exists")
    _check_password(password)
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise StaffError(f"unknown organisation {organisation_id}")
    if role == "coordinator" and organisation_id is None:
        raise StaffError("a coordinator needs --organisation")
    codes = sorted({code.strip().upper() for code in municipality_codes})
    for code in codes:
        if session.get(Municipality, code) is None:
            raise StaffError(f"unknown municipality code {code}")
    user = StaffUser(
        username=username, role=role, organisation_id=organisation_id, national=national,
        password_hash=hash_password(password), disabled=False, failed_logins=0,
        municipalities=[StaffMunicipality(municipality_code=code) for code in codes],
    )
    session.add(user)
    session.flush()
    audit.record(session, actor_kind="admin", actor=actor, action="user.add",
                 target=f"user:{username}", detail=f"role={role} organisation={organisation_id} "
                 f"municipalities={','.join(codes)} national={national}")
    return user


def _require(session: Session, username: str) -> StaffUser:
    user = get_user(session, username)
    if user is None:
        raise StaffError(f"no user {username}")
    return user


def disable_user(session: Session, username: str, *, actor: str = "cli") -> StaffUser:
    """Disable an account and end its sessions at once."""
    user = _require(session, username)
    user.disabled = True
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    audit.record(session, actor_kind="admin", actor=actor, action="user.disable",
                 target=f"user:{user.username}")
    return user


def reset_password(session: Session, username: str, password: str, *,
                   actor: str = "cli") -> StaffUser:
    """Set a new password, lift a lockout and end the account's sessions."""
    user = _require(session, username)
    _check_password(password)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.disabled = False
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    audit.record(session, actor_kind="admin", actor=actor, action="user.reset",
                 target=f"user:{user.username}")
    return user


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    now: datetime,
    max_failures: int,
    lockout: timedelta,
) -> Authentication:
    """Check a login. ``max_failures`` wrong passwords in a row lock the account for ``lockout``.

    A locked account stays locked even for the right password until the time is over, so
    guessing on cannot succeed. Unknown names cost the same hashing time as known ones.
    """
    user = get_user(session, username)
    if user is None:
        verify_password(dummy_hash(), password)
        return Authentication(LoginResult.WRONG)
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, actor_kind=user.role, actor=user.username, action="login.locked",
                     target=f"user:{user.username}", at=now)
        return Authentication(LoginResult.LOCKED, user)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        action = "login.failed"
        if user.failed_logins >= max_failures:
            user.locked_until = now + lockout
            user.failed_logins = 0
            action = "login.lockout"
        audit.record(session, actor_kind=user.role, actor=user.username, action=action,
                     target=f"user:{user.username}", at=now)
        return Authentication(LoginResult.LOCKED if action == "login.lockout"
                              else LoginResult.WRONG, user)
    if user.disabled:
        return Authentication(LoginResult.DISABLED, user)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record(session, actor_kind=user.role, actor=user.username, action="login",
                 target=f"user:{user.username}", at=now)
    return Authentication(LoginResult.OK, user)


# ---------------------------------------------------------------------------- sessions
def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: StaffUser, *, now: datetime,
                  lifetime: timedelta) -> tuple[str, StaffSession]:
    """A new session for ``user``; returns the cookie token (only its hash is stored)."""
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    row = StaffSession(token_hash=_hash_token(token), user_id=user.id,
                       csrf_token=secrets.token_urlsafe(32), created_at=now,
                       expires_at=now + lifetime)
    session.add(row)
    session.flush()
    return token, row


def session_user(session: Session, token: str, *,
                 now: datetime) -> tuple[StaffUser, StaffSession] | None:
    """The account and session behind a cookie token, if valid, unexpired and not disabled."""
    if not token:
        return None
    row = session.get(StaffSession, _hash_token(token))
    if row is None or row.expires_at <= now:
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or user.disabled:
        return None
    return user, row


def end_session(session: Session, token: str) -> None:
    """Log out: delete the session behind ``token``."""
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash_token(token)))
