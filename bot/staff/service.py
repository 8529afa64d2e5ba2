"""Staff accounts: add, disable, reset, log in (with the throttle), and sessions.

The dashboard, the CLI and the tests all go through these functions.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bot.audit import service as audit
from bot.directory.models import Municipality, Organisation
from bot.errors import Conflict, NotFound, Refused
from bot.staff import throttle
from bot.staff.models import ROLES, StaffMunicipality, StaffSession, StaffUser
from bot.staff.passwords import (
    MIN_LENGTH,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)


class StaffError(Refused):
    """A request about an account that cannot be honoured (weak password, unknown role…);
    the CLI shows it in English (``str(error)``)."""


class NoSuchUser(StaffError, NotFound):
    """No account by that name."""


class UserExists(StaffError, Conflict):
    """An account by that name exists already."""


class LoginResult(StrEnum):
    """Why a login succeeded or failed. The dashboard shows one neutral message for all
    failures so that it does not reveal which accounts exist; ``LOCKED`` (too many failures
    for this username at this address, or from this address) looks the same for every name."""

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
        raise StaffError("password must be at least {length} characters", length=MIN_LENGTH)


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
        raise StaffError("role must be one of {roles}", roles=", ".join(ROLES))
    if get_user(session, username) is not None:
        raise UserExists("user {username} already exists", username=username)
    _check_password(password)
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise StaffError("unknown organisation {organisation}", organisation=organisation_id)
    if role == "coordinator" and organisation_id is None:
        raise StaffError("a coordinator needs --organisation")
    codes = sorted({code.strip().upper() for code in municipality_codes})
    for code in codes:
        if session.get(Municipality, code) is None:
            raise StaffError("unknown municipality code {code}", code=code)
    user = StaffUser(
        username=username, role=role, organisation_id=organisation_id, national=national,
        password_hash=hash_password(password), disabled=False,
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
        raise NoSuchUser("no user {username}", username=username)
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
    """Set a new password, re-enable the account and end its sessions."""
    user = _require(session, username)
    _check_password(password)
    user.password_hash = hash_password(password)
    user.disabled = False
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    audit.record(session, actor_kind="admin", actor=actor, action="user.reset",
                 target=f"user:{user.username}")
    return user


def authenticate(session: Session, username: str, password: str, *,
                 now: datetime) -> Authentication:
    """Check a password (no throttling: see :func:`log_in`).

    Unknown names cost the same hashing time as known ones (a fixed dummy hash).
    """
    user = get_user(session, username)
    if user is None:
        verify_password(dummy_hash(), password)
        return Authentication(LoginResult.WRONG)
    if not verify_password(user.password_hash, password):
        audit.record(session, actor_kind=user.role, actor=user.username, action="login.failed",
                     target=f"user:{user.username}", at=now)
        return Authentication(LoginResult.WRONG, user)
    if user.disabled:
        return Authentication(LoginResult.DISABLED, user)
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record(session, actor_kind=user.role, actor=user.username, action="login",
                 target=f"user:{user.username}", at=now)
    return Authentication(LoginResult.OK, user)


def log_in(session: Session, username: str, password: str, *, source: str, now: datetime,
           policy: throttle.ThrottlePolicy) -> Authentication:
    """A dashboard login from address ``source``, throttled (:mod:`bot.staff.throttle`).

    While the username at this address, or the address itself, is blocked, the password is
    not even checked: the same ``LOCKED`` answer, in the same time, for every username. Each
    failure (wrong password, unknown name, disabled account) counts; a success clears the
    username-at-address key.
    """
    if throttle.blocked(session, username, source, now=now):
        user = get_user(session, username)
        if user is not None:
            audit.record(session, actor_kind=user.role, actor=user.username,
                         action="login.locked", target=f"user:{user.username}", at=now)
        return Authentication(LoginResult.LOCKED, user)
    outcome = authenticate(session, username, password, now=now)
    if outcome.result == LoginResult.OK:
        throttle.succeeded(session, username, source)
        return outcome
    if throttle.failed(session, username, source, now=now, policy=policy):
        if outcome.user is not None:
            audit.record(session, actor_kind=outcome.user.role, actor=outcome.user.username,
                         action="login.lockout", target=f"user:{outcome.user.username}", at=now)
        return Authentication(LoginResult.LOCKED, outcome.user)
    return outcome


# ---------------------------------------------------------------------------- sessions
def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: ``last_seen_at`` is written at most this often, so that a page with four charts is not five
#: writes; the idle timeout is therefore exact to within this much.
SEEN_RESOLUTION = timedelta(minutes=1)


def start_session(session: Session, user: StaffUser, *, now: datetime, lifetime: timedelta,
                  idle: timedelta | None = None) -> tuple[str, StaffSession]:
    """A new session for ``user``; returns the cookie token (only its hash is stored).

    Sessions past their lifetime (or, given ``idle``, unused that long) are deleted first.
    """
    ended = StaffSession.expires_at <= now
    if idle is not None:
        ended = or_(ended, StaffSession.last_seen_at <= now - idle)
    session.execute(delete(StaffSession).where(ended))
    token = secrets.token_urlsafe(32)
    row = StaffSession(token_hash=_hash_token(token), user_id=user.id,
                       csrf_token=secrets.token_urlsafe(32), created_at=now,
                       expires_at=now + lifetime, last_seen_at=now)
    session.add(row)
    session.flush()
    return token, row


def session_user(session: Session, token: str, *, now: datetime,
                 idle: timedelta | None = None) -> tuple[StaffUser, StaffSession] | None:
    """The account and session behind a cookie token, if valid, not disabled, within its
    lifetime and (given ``idle``) used less than ``idle`` ago; using it counts as activity.
    A session that ran out is deleted."""
    if not token:
        return None
    row = session.get(StaffSession, _hash_token(token))
    if row is None:
        return None
    if row.expires_at <= now or (idle is not None and row.last_seen_at <= now - idle):
        session.delete(row)
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or user.disabled:
        return None
    if now - row.last_seen_at >= SEEN_RESOLUTION:
        row.last_seen_at = now
    return user, row


def end_session(session: Session, token: str) -> None:
    """Log out: delete the session behind ``token``."""
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash_token(token)))
