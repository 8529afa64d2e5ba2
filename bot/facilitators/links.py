"""Telegram deep links: a group's link for citizens and an invitation link for facilitators."""

from __future__ import annotations

import re

from bot.settings import Settings

#: What Telegram accepts as a ``/start`` payload.
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
INVITATION_PREFIX = "inv_"


def deep_link(settings: Settings, payload: str) -> str:
    """``https://t.me/<bot>?start=<payload>``; refuses payloads Telegram would drop."""
    if not PAYLOAD.match(payload):
        raise ValueError("a /start payload must be 1-64 characters of A-Z, a-z, 0-9, _ and -")
    return f"https://t.me/{settings.telegram_bot_username}?start={payload}"


def group_link(settings: Settings, group_id: str) -> str:
    """The link that opens a group's page in the bot (posters, QR codes)."""
    return deep_link(settings, group_id)


def invitation_link(settings: Settings, token: str) -> str:
    """The link a new facilitator opens to accept an invitation."""
    return deep_link(settings, INVITATION_PREFIX + token)


def invitation_token(payload: str) -> str | None:
    """The token of an invitation payload, or ``None`` for any other payload."""
    if payload.startswith(INVITATION_PREFIX) and PAYLOAD.match(payload):
        return payload[len(INVITATION_PREFIX):]
    return None
