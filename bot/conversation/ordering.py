"""One turn at a time per person, different people in parallel (architecture.md).

Two messages of one person sent in quick succession must be answered in order and each must
see the state the previous one left; other people's turns never wait for them. An asyncio
lock per pseudonym does that inside one bot process (several processes: the scale-out issue).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class PersonLocks:
    """A lock per pseudonym, kept only while someone holds or waits for it."""

    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    _users: dict[str, int] = field(default_factory=dict)

    @asynccontextmanager
    async def turn(self, pseudonym: str) -> AsyncIterator[None]:
        """Hold ``pseudonym``'s lock for one turn (asyncio locks are fair: first come, first
        served, so turns keep the order in which they arrived)."""
        lock = self._locks.setdefault(pseudonym, asyncio.Lock())
        self._users[pseudonym] = self._users.get(pseudonym, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[pseudonym] -= 1
            if not self._users[pseudonym]:
                # Nobody waits: drop it, so memory does not grow with every person ever seen.
                del self._users[pseudonym], self._locks[pseudonym]

    def __len__(self) -> int:
        return len(self._locks)
