"""Pseudonyms: a keyed hash of the Telegram user id, the only citizen identity we keep."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym_for(user_id: int, secret: str) -> str:
    """HMAC-SHA256 of the Telegram user id under the server secret, hex, 32 chars.

    The same person always gets the same pseudonym (so preferences survive), but without the
    secret nobody can go from pseudonym back to the Telegram account.
    """
    if not secret:
        raise ValueError("pseudonym secret is empty")
    digest = hmac.new(secret.encode(), f"telegram:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
