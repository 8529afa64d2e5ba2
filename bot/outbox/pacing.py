"""Spreading sends out: at most so many messages a second, and the pauses Telegram asks for.

Bulk sends (the reminders at the top of the hour, a series cancelled for 200 subscribers)
go out at ``telegram_messages_per_second`` instead of all at once. The clock and the sleep are
injectable, so tests drive the time themselves instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pacer:
    """Lets one send go at a time, at most ``rate`` per second.

    One pacer per bot process, kept across delivery runs; only one process sends at a time
    (the outbox claim), so this is the whole bot's rate.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")  # the earliest moment the next send may go

    async def turn(self) -> None:
        """Wait until the next send may go, and take that slot."""
        now = self._clock()
        if now < self._next:
            await self._sleep(self._next - now)
            now = max(self._clock(), self._next)
        self._next = now + self.interval

    def hold(self, seconds: float) -> None:
        """Nothing goes for ``seconds`` from now (Telegram's ``retry_after``): the next
        :meth:`turn` waits that long."""
        self._next = max(self._next, self._clock() + seconds)
