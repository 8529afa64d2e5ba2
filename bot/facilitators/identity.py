"""Staff pseudonyms for facilitators: keyed, and distinct from citizen pseudonyms."""

from __future__ import annotations

import hashlib
import hmac


def staff_pseudonym(user_id: int, secret: str) -> str:
    """HMAC-SHA256 of the Telegram user id with a ``facilitator:`` prefix, hex, 32 chars.

    The prefix gives a different value than the citizen pseudonym for the same account, so
    the staff table and the citizen tables cannot be joined on it: someone who facilitates
    a group and also asks for help as a citizen stays two unrelated identities.
    """
    if not secret:
        raise ValueError("pseudonym secret is empty")
    digest = hmac.new(secret.encode(), f"facilitator:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
