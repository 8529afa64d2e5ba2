"""Rasa's in-memory tracker store, with idle conversations deleted after ``record_exp`` seconds.

Why: privacy.md allows conversation text to live only as long as the dialogue needs it (idle
conversations expire, 24 hours by default). Rasa's own ``InMemoryTrackerStore`` keeps every
conversation until the process stops; its ``RedisTrackerStore`` has ``record_exp`` but needs
Redis. This store gives the embedded default the same rule: a conversation that nobody wrote to
for ``record_exp`` seconds is deleted, by a purge job every ``purge_interval`` seconds and, so
that nothing expired is ever read back between two purges, on every read.

Runs inside the Rasa server (``.venv-rasa``); ``rasa_project/endpoints.yml`` names it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

DEFAULT_RECORD_EXP = 24 * 60 * 60
DEFAULT_PURGE_INTERVAL = 60.0


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):
    """In-memory conversations that expire when idle for ``record_exp`` seconds."""

    def __init__(
        self,
        domain: Domain,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        record_exp: float | str = DEFAULT_RECORD_EXP,
        purge_interval: float | str = DEFAULT_PURGE_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        """``record_exp`` and ``purge_interval`` may arrive as strings from endpoints.yml."""
        super().__init__(domain, event_broker, **kwargs)
        self.record_exp = float(record_exp)
        self.purge_interval = float(purge_interval)
        if self.record_exp <= 0 or self.purge_interval <= 0:
            raise ValueError("record_exp and purge_interval must be positive seconds")
        self._clock = clock
        self._last_write: dict[str, float] = {}
        self._purge_task: asyncio.Task[None] | None = None

    def purge_expired(self) -> int:
        """Delete every conversation idle for longer than ``record_exp``; return how many."""
        deadline = self._clock() - self.record_exp
        expired = [sender for sender, at in self._last_write.items() if at <= deadline]
        for sender in expired:
            self.store.pop(sender, None)
            del self._last_write[sender]
        if expired:
            # A count only: sender ids are pseudonyms, but logs carry no conversation keys.
            logger.info("Deleted %d idle conversation(s) from the tracker store.", len(expired))
        return len(expired)

    def _ensure_purge_job(self) -> None:
        """Start the periodic purge on the server's event loop (there is none at __init__)."""
        if self._purge_task is None or self._purge_task.done():
            self._purge_task = asyncio.get_running_loop().create_task(self._purge_job())

    async def _purge_job(self) -> None:
        while True:
            await asyncio.sleep(self.purge_interval)
            try:
                self.purge_expired()
            except Exception:  # the job must outlive one bad purge
                logger.exception("Purging idle conversations failed.")

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the conversation and restart its idle clock."""
        self._ensure_purge_job()
        await super().save(tracker)
        self._last_write[tracker.sender_id] = self._clock()

    async def _retrieve(
        self, sender_id: str, fetch_all_sessions: bool
    ) -> DialogueStateTracker | None:
        self._ensure_purge_job()
        self.purge_expired()
        return await super()._retrieve(sender_id, fetch_all_sessions)

    async def keys(self) -> Iterable[str]:
        """The conversations that have not expired."""
        self.purge_expired()
        return list(self.store.keys())
