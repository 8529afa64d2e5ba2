"""Staff pseudonyms for facilitators: keyed, and distinct from citizen pseudonyms."""

from __future__ import annotations

import hashlib
import hmac


def staff_pseudonym(pseudonym: str, secret: str) -> str:
    """HMAC-SHA256 of a person's pseudonym with a ``facilitator:`` prefix, hex, 32 chars.

    ``pseudonym`` is what every channel already knows a person by (on Telegram a keyed hash of
    the user id, ``bot/privacy/pseudonym.py``), so the terminal chat, which has no Telegram
    ids, can run the facilitator flows too. Hashing it once more under the prefix gives a
    value unlike the citizen pseudonym, so the staff table and the citizen tables cannot be
    joined on it: someone who facilitates a group and also asks for help as a citizen stays
    two unrelated identities to anyone without the server secret.
    """
    if not secret:
        raise ValueError("pseudonym secret is empty")
    digest = hmac.new(secret.encode(), f"facilitator:{pseudonym}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def legacy_staff_pseudonym(user_id: int, secret: str) -> str:
    """The staff pseudonym as it was made before 2026-12-05, from the Telegram user id.

    Only to recognise a facilitator who accepted an invitation before then
    (:func:`bot.facilitators.membership.adopt_legacy`); nothing new is keyed this way.
    """
    if not secret:
        raise ValueError("pseudonym secret is empty")
    digest = hmac.new(secret.encode(), f"facilitator:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
