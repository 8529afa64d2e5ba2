"""Runs inside the Rasa environment (.venv-rasa): builds the tracker store exactly as the Rasa
server does from rasa_project/endpoints.yml, then drives conversations through it on a fake
clock and prints what it saw as JSON. Driven by test_tracker_expiry.py."""

from __future__ import annotations

import asyncio
import json

from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.utils.endpoints import read_endpoint_config

from rasa_project.server.expiring_tracker_store import ExpiringInMemoryTrackerStore


class FakeClock:
    """Monotonic seconds that only move when the probe says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def conversation(store: ExpiringInMemoryTrackerStore, sender: str, text: str) -> None:
    """One user message stored under ``sender``, as Rasa stores a turn."""
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text))
    await store.save(tracker)


async def main() -> dict:
    domain = Domain.load("rasa_project/domain.yml")
    configured = create_tracker_store(
        read_endpoint_config("rasa_project/endpoints.yml", "tracker_store"), domain
    )
    result: dict = {
        "configured_type": type(configured).__name__,
        "configured_record_exp": getattr(configured, "record_exp", None),
        "configured_purge_interval": getattr(configured, "purge_interval", None),
    }

    clock = FakeClock()
    store = ExpiringInMemoryTrackerStore(domain, record_exp="3600", purge_interval="0.01")
    store._clock = clock
    await conversation(store, "pseudonym-a", "ik voel me zo alleen")
    clock.now += 1800
    await conversation(store, "pseudonym-b", "ben ik anoniem?")
    clock.now += 1800  # a: idle 3600 s (expired); b: idle 1800 s
    result["keys_after_an_hour"] = sorted(await store.keys())
    result["a_gone_after_an_hour"] = await store.retrieve("pseudonym-a") is None
    b = await store.retrieve("pseudonym-b")
    result["b_texts"] = [e.text for e in b.events if isinstance(e, UserUttered)] if b else None

    # A new message restarts the idle clock: b writes again and outlives its first deadline.
    await conversation(store, "pseudonym-b", "dank je")
    clock.now += 1800
    result["b_alive_after_new_message"] = "pseudonym-b" in await store.keys()

    # The purge job, with no request coming in: it empties the store on its own.
    clock.now += 3600
    for _ in range(500):  # bounded: the job runs every 0.01 s
        if not store.store:
            break
        await asyncio.sleep(0.01)
    result["store_after_purge_job"] = sorted(store.store)
    result["purge_job_running"] = store._purge_task is not None and not store._purge_task.done()
    return result


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
