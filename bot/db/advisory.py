"""PostgreSQL advisory locks as the bot uses them: one key scheme, one way to let go.

Session-level locks (``pg_advisory_lock``/``pg_try_advisory_lock``) on a connection of their
own: per-person turns (bot/conversation/ordering.py) and job claims (bot/db/claims.py). When a
worker dies its connections close and PostgreSQL frees the locks; no broker of our own.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError


def advisory_key(namespace: str, key: str) -> int:
    """A signed 64-bit key for ``pg_advisory_lock(bigint)``: a hash of the namespace and the
    key, so persons, facilitators, updates and jobs never share a lock."""
    digest = hashlib.blake2b(f"{namespace}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def unlock(connection: Connection, key: int) -> None:
    """Free lock ``key`` held by ``connection`` and close it. A connection whose lock could
    not be freed (the server went away, or it was not held) is discarded, never handed back
    to the pool still holding a lock."""
    try:
        freed = connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        connection.commit()
        if not freed:
            connection.invalidate()
    except SQLAlchemyError:
        connection.invalidate()
    finally:
        connection.close()
