"""The bot's link to Redis (flood limits, short-lived per-person values): a client that gives
up quickly, and one warning per outage.

Redis is shared by the workers (docs/operations.md) but never needed to answer: whoever uses
it lets the turn through, or keeps the value in this process's memory, while it is down.
"""

from __future__ import annotations

import logging
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

#: Redis on the same machine or network answers in well under a millisecond; a server that
#: does not answer within this is treated as down.
REDIS_TIMEOUT_SECONDS = 0.05
#: After a failure Redis is left alone this long, so an outage costs one timeout per period,
#: not one per message.
REDIS_RETRY_SECONDS = 5.0


def redis_client(url: str) -> redis.Redis:
    """A Redis client that gives up quickly: one retry (a connection Redis closed after a
    restart), no backoff, short timeouts."""
    return redis.Redis.from_url(
        url,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 1),
    )


class RedisOutage:
    """Whether Redis is out for one user of it (``what``): one warning line per outage (the
    error's type and what happens ``meanwhile``, never a key or value), and no waiting on a
    dead server for every turn."""

    def __init__(self, what: str, meanwhile: str, logger: logging.Logger = log,
                 retry_seconds: float = REDIS_RETRY_SECONDS) -> None:
        self.log = logger  # the user's own logger, so its lines say where they come from
        self.what = what
        self.meanwhile = meanwhile
        self.retry_seconds = retry_seconds
        self.down = False
        self._until = 0.0

    def skipping(self) -> bool:
        """True while Redis is left alone after a failure."""
        # monotonic is right here: the pause is this process's own affair.
        return self.down and time.monotonic() < self._until

    def failed(self, exc: Exception) -> None:
        """Redis did not answer: leave it alone for a while; say so once."""
        if not self.down:
            self.log.warning("%s: Redis unreachable (%s); %s", self.what, type(exc).__name__,
                        self.meanwhile)
        self.down = True
        self._until = time.monotonic() + self.retry_seconds

    def answered(self) -> None:
        """Redis answered again."""
        if self.down:
            self.log.info("%s: Redis answers again", self.what)
        self.down = False
