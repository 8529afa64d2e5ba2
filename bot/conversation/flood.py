"""A per-pseudonym flood limit. The crisis answer is checked before it and never delayed.

Every kind of turn is counted: messages with one limiter, button presses and commands with
another, larger one (people tap faster than they type; bot/conversation/pipeline.py,
bot/channels/router.py), so a person mashing a button or /start is held back like one
sending many messages.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from bot.settings import Settings


@dataclass
class FloodLimiter:
    """Allows ``limit`` messages per ``window`` seconds per key (sliding window)."""

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


def flood_limiters(settings: Settings) -> tuple[FloodLimiter, FloodLimiter]:
    """The limiters of one bot worker: messages, and button presses with commands."""
    window = settings.flood_window_seconds
    return (FloodLimiter(settings.flood_messages, window),
            FloodLimiter(settings.flood_presses, window))
