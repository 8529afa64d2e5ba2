"""A per-pseudonym flood limit. The crisis answer is checked before it and never delayed.

Every kind of turn is counted: messages with one limiter, button presses and commands with
another, larger one (people tap faster than they type; bot/conversation/pipeline.py,
bot/channels/router.py), so a person mashing a button or /start is held back like one
sending many messages.

One worker keeps the counts in its memory (``make run``). Several workers share them in Redis
(``STEUNWIJZER_REDIS_URL``), so a person whose messages are spread over the workers has one
budget, not one per worker. Times are wall-clock seconds (``time.time()``), the same in every
process (keep the machines' clocks synchronised with NTP); ``time.monotonic()`` is not.
If Redis is down or slow, messages are let through: the limit protects the bot, and nobody is
held up by it (docs/operations.md).
"""

from __future__ import annotations

import logging
import math
import os
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

import redis

from bot.conversation.redis_link import (
    REDIS_RETRY_SECONDS,
    RedisOutage,
    redis_client,
)
from bot.settings import Settings

log = logging.getLogger(__name__)

#: Where the counts live in Redis; then "messages:" or "presses:" and the pseudonym (an HMAC,
#: never a Telegram id).
REDIS_PREFIX = "steunwijzer:flood:"


class Limiter(Protocol):
    """What the pipeline asks a flood limiter (in memory or in Redis)."""

    def allow(self, key: str, now: float) -> bool:
        """Record a turn at ``now`` (wall-clock seconds); ``False`` when over the limit."""
        ...

    def should_warn(self, key: str) -> bool:
        """True once per flood, so the citizen gets one notice and not one per message."""
        ...


@dataclass
class FloodLimiter:
    """Allows ``limit`` messages per ``window`` seconds per key (sliding window), in this
    process's memory: right for one worker."""

    limit: int
    window: float
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _warned: set[str] = field(default_factory=set)

    def allow(self, key: str, now: float) -> bool:
        """Record a message at ``now``; ``False`` when over the limit."""
        times = self._seen.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        self._warned.discard(key)
        if len(self._seen) > 10_000:  # keep memory bounded under many citizens
            self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] <= self.window}
            self._warned &= self._seen.keys()
        return True

    def should_warn(self, key: str) -> bool:
        """True once per flood, so the citizen gets one notice and not one per message."""
        if key in self._warned:
            return False
        self._warned.add(key)
        return True


# Atomic, so two workers counting the same person at the same moment cannot both take the
# last place. KEYS: the person's turn times (sorted set, score = time), their "warned" flag.
# ARGV: now, the oldest time still inside the window, limit, a unique member, expiry in ms.
_ALLOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
    return 0
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('DEL', KEYS[2])
return 1
"""


@dataclass
class RedisFloodLimiter:
    """The same sliding window as ``FloodLimiter``, kept in Redis and shared by every worker.

    Synchronous on purpose: the pipeline calls it from async code, but one round trip to a
    nearby Redis takes ~0.2 ms (less than the language detection beside it), the socket
    timeouts cap a slow server at ``REDIS_TIMEOUT_SECONDS``, and ``RedisOutage`` stops asking a
    dead one; in exchange ``Pipeline.held_back`` stays a plain call with no await, so nothing
    can interleave between the crisis net and the limit.
    """

    client: redis.Redis
    limit: int
    window: float
    prefix: str = REDIS_PREFIX
    outage: RedisOutage = field(default_factory=lambda: flood_outage())

    def __post_init__(self) -> None:
        self._script = self.client.register_script(_ALLOW)
        # Both keys expire after the window (and a margin), so Redis keeps nothing of a
        # person who stopped writing.
        self._expiry_ms = math.ceil(self.window * 1000) + 1000

    def _keys(self, key: str) -> tuple[str, str]:
        # The {hash tag} keeps both keys of a person in one Redis Cluster slot.
        return f"{self.prefix}{{{key}}}:turns", f"{self.prefix}{{{key}}}:warned"

    def allow(self, key: str, now: float) -> bool:
        """Record a turn at ``now``; ``False`` when over the limit. ``True`` when Redis does
        not answer: nobody is held up by an outage."""
        if self.outage.skipping():
            return True
        member = f"{now!r}:{os.urandom(6).hex()}"  # two turns at the same instant both count
        try:
            allowed = self._script(keys=self._keys(key), args=[
                repr(now), repr(now - self.window), self.limit, member, self._expiry_ms])
        except redis.RedisError as exc:
            self.outage.failed(exc)
            return True
        self.outage.answered()
        return bool(allowed)

    def should_warn(self, key: str) -> bool:
        """True once per flood across all workers. ``True`` when Redis does not answer (the
        person was just held back and should know why)."""
        if self.outage.skipping():
            return True
        try:
            first = self.client.set(self._keys(key)[1], b"1", nx=True, px=self._expiry_ms)
        except redis.RedisError as exc:
            self.outage.failed(exc)
            return True
        self.outage.answered()
        return bool(first)


def flood_outage(retry_seconds: float = REDIS_RETRY_SECONDS) -> RedisOutage:
    """The outage state the limiters of one worker share."""
    return RedisOutage("flood limits", "turns are let through unlimited until it answers again",
                       log, retry_seconds)


def flood_limiters(settings: Settings) -> tuple[Limiter, Limiter]:
    """The limiters of one bot worker: messages, and button presses with commands; in Redis
    when ``redis_url`` is set (several workers), else in this process's memory."""
    window = settings.flood_window_seconds
    if not settings.redis_url:
        return (FloodLimiter(settings.flood_messages, window),
                FloodLimiter(settings.flood_presses, window))
    client = redis_client(settings.redis_url)
    outage = flood_outage()
    return (
        RedisFloodLimiter(client, settings.flood_messages, window,
                          REDIS_PREFIX + "messages:", outage),
        RedisFloodLimiter(client, settings.flood_presses, window,
                          REDIS_PREFIX + "presses:", outage),
    )
