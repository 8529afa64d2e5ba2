"""Telegram's webhook delivery to several bot workers, for tests and the bench.

The fake Bot API (:mod:`fakes.telegram_api`) posts updates to the one webhook URL, one at a
time. In front of several workers two more things stand between Telegram and the bot, and
:class:`WebhookDelivery` plays both:

* **Telegram's webhook sender**, as the Bot API server does it (tdlib/telegram-bot-api,
  ``WebhookActor``): one queue per chat; only the first update of a queue is on its way, the
  next one of that chat goes once it was answered with a 2xx; queues of different chats go
  in parallel, at most ``max_connections`` at once (setWebhook's parameter); an update that
  got no 2xx (an error status, or no answer at all: connection refused or reset) is sent
  again, and the later ones of its chat wait behind it;
* **the operator's reverse proxy**, which spreads requests over the workers (round robin)
  and sends a request that reached no worker, or got no answer, to the next one.

:class:`DeliversByWebhook`, mixed into :class:`~fakes.telegram_api.FakeTelegram` (before it),
hands every update to a :class:`WebhookDelivery` instead of the fake's own delivery, once a
worker has set the webhook. It counts the bot's messages per chat, and each delivery attempt
notes how many the chat had when it started and ended: what the fake received is then
attributed to the update that was on its way (one per chat at a time), and :func:`audit`
counts duplicates (an update answered in two attempts) and answers that arrived while none
of the chat's updates was on its way (they can overtake or trail another answer: counted as
order violations).

Everything stays on 127.0.0.1 and in memory.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout
from fakes.telegram_api import WEBHOOK_SECRET_HEADER, FakeTelegram

__all__ = ["Attempt", "Audit", "DeliversByWebhook", "WebhookDelivery", "audit", "chat_of"]

#: Telegram's default for setWebhook's ``max_connections``.
DEFAULT_MAX_CONNECTIONS = 40
#: Pause before sending an update again once every worker failed it in a row (Telegram waits
#: longer; a test or bench wants the retry soon), doubled each round up to the second value.
RETRY_PAUSE = (0.05, 1.0)
#: How long the proxy leaves a worker alone that gave no answer (nginx's ``fail_timeout``).
DOWN_SECONDS = 10.0


def chat_of(update: dict[str, Any]) -> int:
    """The queue of an update: the chat of its message (or of the message a button was
    pressed on), else the user who sent it."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if kind in update:
            return int(update[kind]["chat"]["id"])
    query = update.get("callback_query")
    if query is not None and "message" in query:
        return int(query["message"]["chat"]["id"])
    for value in update.values():
        if isinstance(value, dict) and "from" in value:
            return int(value["from"]["id"])
    return 0


@dataclass
class Attempt:
    """One POST of an update to a worker."""

    update_id: int
    chat_id: int
    worker: int  # index into the delivery's workers
    started: float  # time.perf_counter()
    before: int  # messages the chat had received when the attempt started
    ended: float | None = None
    after: int | None = None  # ... and when it ended
    status: int | None = None  # HTTP status; 0: no answer (refused, reset, timed out)

    @property
    def ok(self) -> bool:
        """Whether the worker took the update (2xx)."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def answers(self) -> int:
        """Messages the chat received while this attempt was on its way."""
        return 0 if self.after is None else self.after - self.before


@dataclass
class _Queue:
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    task: asyncio.Task[None] | None = None


class WebhookDelivery:
    """Telegram's webhook sender and the proxy in front of ``workers`` (their base URLs,
    ``http://127.0.0.1:PORT``); see the module docstring. ``answers_in(chat_id)`` tells how
    many messages a chat has received so far (for :class:`Attempt`)."""

    def __init__(self, workers: Sequence[str], *, answers_in: Any = None,
                 request_timeout: float = 90.0, give_up_after: float = 120.0) -> None:
        self.workers = [w.rstrip("/") for w in workers]
        self.attempts: list[Attempt] = []
        #: Updates given up on (no worker took them within ``give_up_after`` seconds).
        self.dropped: list[int] = []
        self._answers_in = answers_in or (lambda _chat: 0)
        self._timeout = request_timeout
        self._give_up_after = give_up_after
        self._queues: dict[int, _Queue] = {}
        self._down_until: dict[int, float] = {}
        self._next_worker = itertools.count()
        self._slots: asyncio.Semaphore | None = None
        self._max_connections = DEFAULT_MAX_CONNECTIONS
        self._session: ClientSession | None = None
        self._changed = asyncio.Condition()
        self._closed = False

    # ------------------------------------------------------------------ configuration
    def configure(self, max_connections: int | None) -> None:
        """Take setWebhook's ``max_connections`` (before the first update is sent)."""
        if self._slots is None and max_connections:
            self._max_connections = max(1, min(100, int(max_connections)))

    # ------------------------------------------------------------------ sending
    def submit(self, update: dict[str, Any], path: str, secret: str | None) -> None:
        """Queue ``update`` behind the earlier ones of its chat; it goes out at once when
        it is the first. ``path``: the webhook URL's path (the proxy keeps it); ``secret``:
        setWebhook's ``secret_token``, sent back in its header."""
        assert not self._closed, "the delivery is closed"
        queue = self._queues.setdefault(chat_of(update), _Queue())
        queue.updates.append(update)
        if queue.task is None or queue.task.done():
            queue.task = asyncio.create_task(self._drain(chat_of(update), queue, path, secret))

    async def post(self, worker: int, update: dict[str, Any], path: str = "/telegram",
                   secret: str | None = None) -> int:
        """One POST of ``update`` to ``worker``, outside the queues (a test delivering the
        same update twice); its HTTP status, 0 without an answer."""
        attempt = await self._attempt(worker, update, path, secret)
        return attempt.status or 0

    async def _drain(self, chat_id: int, queue: _Queue, path: str, secret: str | None) -> None:
        while queue.updates:
            update = queue.updates[0]
            if await self._deliver(update, path, secret):
                queue.updates.popleft()
            else:
                self.dropped.append(update["update_id"])
                queue.updates.popleft()
            await self._notify()
        await self._notify()

    async def _deliver(self, update: dict[str, Any], path: str, secret: str | None) -> bool:
        """Send ``update`` until a worker takes it; False when none did within
        ``give_up_after``. The proxy sends a failed request to a worker it has not tried
        yet, and leaves a worker that gave no answer alone for ``DOWN_SECONDS``."""
        deadline = time.perf_counter() + self._give_up_after
        pause = RETRY_PAUSE[0]
        while True:
            tried: set[int] = set()
            while len(tried) < len(self.workers):
                worker = self._choose(tried)
                attempt = await self._attempt(worker, update, path, secret)
                if attempt.ok:
                    return True
                if self._closed:
                    return False
                tried.add(worker)
                if attempt.status == 0:
                    self._down_until[worker] = time.perf_counter() + DOWN_SECONDS
            if time.perf_counter() + pause > deadline:
                return False
            # Every worker failed it in a row: the pause Telegram makes before trying again.
            await asyncio.sleep(pause)
            pause = min(pause * 2, RETRY_PAUSE[1])

    def _choose(self, tried: set[int]) -> int:
        """Round robin over the workers not tried for this update, those not marked down
        first."""
        now = time.perf_counter()
        left = [i for i in range(len(self.workers)) if i not in tried]
        up = [i for i in left if self._down_until.get(i, 0.0) <= now] or left
        return up[next(self._next_worker) % len(up)]

    async def _attempt(self, worker: int, update: dict[str, Any], path: str,
                       secret: str | None) -> Attempt:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._max_connections)
        if self._session is None:
            self._session = ClientSession(timeout=ClientTimeout(total=self._timeout))
        headers = {"Content-Type": "application/json"}
        if secret:
            headers[WEBHOOK_SECRET_HEADER] = secret
        chat_id = chat_of(update)
        async with self._slots:
            attempt = Attempt(update["update_id"], chat_id, worker, time.perf_counter(),
                              self._answers_in(chat_id))
            self.attempts.append(attempt)
            await self._notify()
            try:
                async with self._session.post(self.workers[worker] + path,
                                              data=json.dumps(update),
                                              headers=headers) as response:
                    await response.read()
                    attempt.status = response.status
            except (ClientError, TimeoutError, ConnectionError):
                attempt.status = 0
            finally:
                attempt.ended = time.perf_counter()
                attempt.after = self._answers_in(chat_id)
                if attempt.status is None:
                    attempt.status = 0  # cancelled: the test or the bench stopped
        await self._notify()
        return attempt

    # ------------------------------------------------------------------ observing
    def pending(self) -> int:
        """Updates not yet taken by a worker (on their way or queued behind one)."""
        return sum(len(q.updates) for q in self._queues.values())

    def in_flight(self, worker: int | None = None) -> list[Attempt]:
        """Attempts on their way right now (to ``worker``, or to any)."""
        return [a for a in self.attempts
                if a.status is None and (worker is None or a.worker == worker)]

    async def wait_until(self, condition: Any, timeout: float = 30.0) -> None:
        """Until ``condition()`` holds, re-checked whenever an attempt starts or ends."""
        async with self._changed:
            async with asyncio.timeout(timeout):
                await self._changed.wait_for(condition)

    async def idle(self, timeout: float = 60.0) -> None:
        """Until every submitted update was taken by a worker (or given up on)."""
        await self.wait_until(lambda: self.pending() == 0, timeout)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def close(self) -> None:
        """Stop sending (queued updates stay unsent) and close the HTTP client."""
        self._closed = True
        tasks = [q.task for q in self._queues.values() if q.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None


class DeliversByWebhook(FakeTelegram):
    """A fake Bot API whose webhook updates go through a :class:`WebhookDelivery` (set
    :attr:`delivery` before a worker sets the webhook). Mix in before another subclass of
    the fake: ``class X(DeliversByWebhook, BenchTelegram)``."""

    delivery: WebhookDelivery | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.answer_counts: dict[int, int] = {}
        #: True: updates stay with the fake (``take_updates``) for a test that posts them
        #: itself (:meth:`WebhookDelivery.post`).
        self.holding = False

    def answers_in(self, chat_id: int) -> int:
        """How many messages the bot has sent to ``chat_id`` so far (never forgotten)."""
        return self.answer_counts.get(chat_id, 0)

    def _store_sent(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        message = super()._store_sent(*args, **kwargs)
        chat_id = int(message["chat"]["id"])
        self.answer_counts[chat_id] = self.answer_counts.get(chat_id, 0) + 1
        return message

    async def _deliver_to_webhook(self) -> None:
        if self.holding:
            return
        if self.delivery is None or self.webhook is None:
            await super()._deliver_to_webhook()
            return
        self.delivery.configure(self.webhook.get("max_connections"))
        path = urlsplit(self.webhook["url"]).path or "/"
        secret = self.webhook.get("secret_token")
        for update in list(self._deliverable()):
            self._updates.remove(update)
            self.delivery.submit(update, path, secret)


@dataclass
class Audit:
    """What the fake received, attributed to the updates: see :func:`audit`."""

    updates: int  # updates delivered (taken by a worker) or given up on
    taken: int  # updates a worker answered 2xx
    retried: int  # updates that needed more than one attempt
    duplicates: int  # extra attempts that sent messages for an update already answered
    order_violations: int  # messages that arrived while none of the chat's updates was out
    dropped: int  # updates no worker took

    def as_dict(self) -> dict[str, int]:
        """The counts by name (for a report)."""
        return dict(self.__dict__)


def audit(fake: DeliversByWebhook, delivery: WebhookDelivery,
          chats: Sequence[int] | None = None) -> Audit:
    """Attribute what each chat received to the attempt that was on its way (a chat has one
    update out at a time) and count: updates answered in more than one attempt
    (duplicates), and messages that came while none of the chat's updates was out (an answer
    sent after the worker had said it was done, or before the update came: it may overtake
    or trail another answer, so it is counted as an order violation). ``chats``: only these
    (default: every chat an update was delivered to). Updates posted outside the queues
    (:meth:`WebhookDelivery.post`) are not for this count: their attempts may overlap."""
    wanted = set(chats) if chats is not None else {a.chat_id for a in delivery.attempts}
    by_update: dict[int, list[Attempt]] = {}
    covered: dict[int, int] = {}
    for attempt in delivery.attempts:
        if attempt.chat_id not in wanted:
            continue
        by_update.setdefault(attempt.update_id, []).append(attempt)
        covered[attempt.chat_id] = covered.get(attempt.chat_id, 0) + attempt.answers
    duplicates = sum(max(0, sum(a.answers > 0 for a in attempts) - 1)
                     for attempts in by_update.values())
    order = sum(max(0, fake.answers_in(chat) - covered.get(chat, 0)) for chat in wanted)
    return Audit(
        updates=len(by_update),
        taken=sum(any(a.ok for a in attempts) for attempts in by_update.values()),
        retried=sum(len(attempts) > 1 for attempts in by_update.values()),
        duplicates=duplicates,
        order_violations=order,
        dropped=len(set(delivery.dropped) & set(by_update)),
    )
