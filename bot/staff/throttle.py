"""Login throttle for the dashboard: in the database, shared by every process, bounded.

Why the database and not Redis: the dashboard already needs it (PostgreSQL in production,
SQLite on a single machine), every process reaches it, and a throttle is a few small writes
per *failed* login; Redis would add a service to run, secure and back up for this alone.

Two kinds of key, both stored only as a SHA-256 hash (:func:`pair_key`, :func:`source_key`):

- **a username at one source address**: ``max_failures`` failures are free, then every further
  failure blocks the pair for ``backoff``, doubling each time up to ``longest`` (exponential
  backoff instead of a hard lockout). A success clears the pair.
- **a source address across usernames**: the same after ``source_max_failures`` failures, so
  guessing across many names is slowed down too. A success does not clear it (an attacker
  with one account of their own must not be able to reset it).

No key is the account alone, so nobody elsewhere can keep a person's account locked: a block
holds only for the username *at the address that failed*. Keys for unknown usernames behave
exactly like keys for real ones, so the answers do not reveal which accounts exist. While a
key is blocked, even the right password is refused without being checked.

Bounded: a row is deleted ``memory`` after its last failure (or when its block ends, if that
is later), every failure purges expired rows, and beyond ``max_rows`` the rows closest to
expiry are dropped first.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.settings import Settings
from bot.staff.models import LoginThrottle


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, how long blocks last, how long failures are remembered."""

    max_failures: int = 5
    source_max_failures: int = 20
    backoff: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(minutes=15)
    memory: timedelta = timedelta(hours=24)
    max_rows: int = 10_000

    @classmethod
    def from_settings(cls, settings: Settings) -> ThrottlePolicy:
        """The policy the ``web_login_*`` settings describe."""
        return cls(
            max_failures=settings.web_login_max_failures,
            source_max_failures=settings.web_login_source_max_failures,
            backoff=timedelta(seconds=settings.web_login_backoff_seconds),
            longest=timedelta(minutes=settings.web_login_lockout_minutes),
            memory=timedelta(hours=settings.web_login_memory_hours),
            max_rows=settings.web_login_throttle_rows,
        )

    def block_for(self, failures: int, free: int) -> timedelta | None:
        """How long a key with ``failures`` failures is blocked (``None``: not at all)."""
        if failures < free:
            return None
        # Capped exponent: 2**40 × 30 s is far beyond any sensible ``longest`` already.
        delay = self.backoff * (2 ** min(failures - free, 40))
        return min(delay, self.longest)


def source_network(source: str) -> str:
    """The address a throttle counts: an IPv4 address, or the /64 network of an IPv6 one
    (one IPv6 user usually has a whole /64 to hop around in)."""
    try:
        address = ipaddress.ip_address(source)
    except ValueError:
        return source
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _digest(*parts: str) -> str:
    # \x1f (unit separator) cannot be typed into the form, so ("a b", "c") and ("a", "b c") differ.
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def pair_key(username: str, source: str) -> str:
    """The key of a username typed at a source address."""
    return _digest("pair", username.strip().lower(), source_network(source))


def source_key(source: str) -> str:
    """The key of a source address, whatever username it tries."""
    return _digest("source", source_network(source))


def blocked(session: Session, username: str, source: str, *, now: datetime) -> bool:
    """Whether a login of ``username`` from ``source`` must be refused right now."""
    keys = [pair_key(username, source), source_key(source)]
    found = session.scalar(
        select(func.count()).select_from(LoginThrottle)
        .where(LoginThrottle.key.in_(keys), LoginThrottle.blocked_until > now)
    )
    return bool(found)


def _increment(session: Session, key: str, now: datetime, policy: ThrottlePolicy) -> int:
    """Add one failure to ``key`` atomically (whichever process gets there first) and return
    the new count. A row whose memory has run out starts again from one."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(LoginThrottle).values(key=key, failures=1, blocked_until=None,
                                             expires_at=now + policy.memory)
    # An expired row that the purge has not reached yet counts from zero again.
    previous = case((LoginThrottle.expires_at > now, LoginThrottle.failures), else_=0)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={"failures": previous + 1, "expires_at": statement.excluded.expires_at},
    ).returning(LoginThrottle.failures)
    return int(session.execute(statement).scalar_one())


def _purge(session: Session, now: datetime, policy: ThrottlePolicy) -> None:
    """Delete expired rows, then the rows closest to expiry beyond ``max_rows``."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.expires_at <= now))
    total = session.scalar(select(func.count()).select_from(LoginThrottle)) or 0
    excess = total - policy.max_rows
    if excess > 0:
        oldest = select(LoginThrottle.key).order_by(LoginThrottle.expires_at,
                                                     LoginThrottle.key).limit(excess)
        session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(oldest)),
                        execution_options={"synchronize_session": False})


def failed(session: Session, username: str, source: str, *, now: datetime,
           policy: ThrottlePolicy) -> bool:
    """Record a failed login; returns whether the attempt's pair or source is now blocked."""
    now_blocked = False
    for key, free in ((pair_key(username, source), policy.max_failures),
                      (source_key(source), policy.source_max_failures)):
        failures = _increment(session, key, now, policy)
        delay = policy.block_for(failures, free)
        if delay is None:
            continue
        now_blocked = True
        until = now + delay
        session.execute(
            update(LoginThrottle).where(LoginThrottle.key == key)
            .values(blocked_until=until, expires_at=max(until, now + policy.memory))
        )
    _purge(session, now, policy)
    return now_blocked


def succeeded(session: Session, username: str, source: str) -> None:
    """A successful login clears its username-at-source key (not the source's own key)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == pair_key(username, source)))
