"""Login rate limiting per source address, in memory (the account lockout is in the database).

A source that gives ``max_failures`` wrong passwords in a row is refused for ``lockout``,
whatever account it tries next, so guessing across many usernames is slowed down as well.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class SourceThrottle:
    """Counts failed logins per source; thread-safe."""

    max_failures: int
    lockout: timedelta
    _failures: dict[str, int] = field(default_factory=dict)
    _locked: dict[str, datetime] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def locked(self, source: str, now: datetime) -> bool:
        """Whether ``source`` is locked out right now."""
        with self._lock:
            until = self._locked.get(source)
            if until is None:
                return False
            if until <= now:
                del self._locked[source]
                return False
            return True

    def failed(self, source: str, now: datetime) -> None:
        """Record one failed login from ``source``."""
        with self._lock:
            count = self._failures.get(source, 0) + 1
            if count >= self.max_failures:
                self._locked[source] = now + self.lockout
                count = 0
            self._failures[source] = count

    def succeeded(self, source: str) -> None:
        """A successful login resets the source's count."""
        with self._lock:
            self._failures.pop(source, None)
