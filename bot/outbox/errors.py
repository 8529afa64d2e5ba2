"""How a send can fail, as the outbox tells the cases apart.

The function that sends (for the bot: ``bot/channels/telegram_jobs.py``) raises these; any
other exception counts as a transient failure after which the message was not sent.
"""

from __future__ import annotations


class SlowDown(Exception):
    """Telegram asked to wait ``seconds`` before sending anything again (429, retry_after).
    Nothing was sent; the same message goes next, after the pause."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = max(0.0, float(seconds))


class MaybeSent(Exception):
    """A transient failure without an answer (a timeout, a dropped connection): the message
    may have arrived. It is sent again later and then counted as a possible duplicate."""


class Undeliverable(Exception):
    """Telegram will never take this message: the chat is gone (the bot was blocked, the
    account deactivated, the chat not found) or the message itself is refused. ``reason`` is
    ``"chat gone"`` or ``"refused"``, for the count in the log (never a value)."""

    CHAT_GONE = "chat gone"
    REFUSED = "refused"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
