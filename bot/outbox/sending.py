"""Delivering the outbox: one sender at a time, paced, in order per chat, nothing lost.

One run (the bot's ``outbox`` job, every ``outbox_interval_seconds``):

1. takes the outbox claim (``bot/db/claims.py``): while one worker sends, the others skip;
2. sends the *heads* first: rows that failed before (``attempts`` > 0) or that a sender marked
   and then died (``sending_since`` set). A head is the first unsent message of its chat; a
   head that is not due yet holds its chat back: the chat's later messages wait behind it;
3. then every other row due at the start of the run, in the order they were meant to go
   (due time, then id), passing over the chats held back.

Each message: wait for the pacer's turn (``telegram_messages_per_second``), set
``sending_since`` and commit, send, delete the row. A sender that dies between Telegram's
answer and that delete leaves the mark behind: the next run sends the message again and
counts it as a possible duplicate (at least once; a loss never).

How a send failed (``bot/outbox/errors.py``) decides what happens next:

- Telegram asks to slow down (429 with ``retry_after``): nothing goes for that long, then the
  same message, so the order holds;
- transient (network, timeout, 5xx, anything unknown): the message and every later message of
  its chat wait, in order, with a doubling delay capped at :data:`MAX_BACKOFF`. Never dropped;
- undeliverable (the bot was blocked, the account deactivated, the chat not found, or a
  message Telegram refuses for good): the row is dropped and counted.

Log lines carry counts and error types, never a chat id or a text (privacy.md).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.context import AppContext
from bot.db.claims import exclusive_async
from bot.outbox.errors import MaybeSent, SlowDown, Undeliverable
from bot.outbox.models import OutboundMessage
from bot.outbox.pacing import Pacer
from bot.privacy.sealed import ChatIdSealer
from bot.runtime.metrics import OUTBOX_LAG, OUTBOX_POSSIBLE_DUPLICATES, OUTBOX_SENT
from bot.vocabulary import Reply

log = logging.getLogger(__name__)

#: The claim's name: one sender across all workers.
OUTBOX_JOB = "outbox"
#: Rows read at a time.
BATCH = 100
FIRST_BACKOFF = timedelta(seconds=5)
MAX_BACKOFF = timedelta(minutes=5)

Send = Callable[[int, Reply], Awaitable[None]]


def backoff(attempts: int) -> timedelta:
    """How long a chat waits after its ``attempts``-th transient failure in a row: doubling
    from :data:`FIRST_BACKOFF`, never more than :data:`MAX_BACKOFF`."""
    doublings = min(max(attempts, 1) - 1, 16)
    return min(MAX_BACKOFF, FIRST_BACKOFF * 2**doublings)


@dataclass(frozen=True)
class _Pending:
    """A row as read, with its chat id opened (in memory only)."""

    id: int
    chat_id: int
    reply: Reply
    due_at: datetime
    marked: bool  # sending_since was set when read: perhaps sent by a sender that died


@dataclass
class RunReport:
    """What one delivery run did, in counts."""

    sent: int = 0
    possible_duplicates: int = 0
    slowed_down: int = 0
    held_back: int = 0
    waiting: Counter[str] = field(default_factory=Counter)  # transient failures by error type
    dropped: Counter[str] = field(default_factory=Counter)  # by Undeliverable reason


async def deliver_due(context: AppContext, send: Send, *, pacer: Pacer | None = None) -> int:
    """Send the due messages with ``send`` (see the module docstring); returns how many were
    delivered. While another worker delivers, returns 0 at once.

    ``pacer``: the process's pacer (kept across runs); by default a new one at
    ``telegram_messages_per_second``.
    """
    if context.sealer is None:
        raise RuntimeError("STEUNWIJZER_ENCRYPTION_KEY is needed to deliver queued messages")
    pacer = pacer or Pacer(context.settings.telegram_messages_per_second)
    async with exclusive_async(context.database, OUTBOX_JOB) as mine:
        if not mine:
            # Another worker sends; the lag is still measured here, so every worker's
            # gauge is current (read it with max() across workers).
            await context.database.run(_measure_lag, context.clock())
            return 0
        run = _Run(context, context.sealer, send, pacer)
        try:
            await run.run()
        finally:
            _log(run.report)
    return run.report.sent


class _Run:
    """One delivery run, holding the claim."""

    def __init__(self, context: AppContext, sealer: ChatIdSealer, send: Send,
                 pacer: Pacer) -> None:
        self.context = context
        self.sealer = sealer
        self.send = send
        self.pacer = pacer
        self.report = RunReport()

    async def run(self) -> None:
        cutoff = self.context.clock()
        heads = await self.context.database.run(self._heads, cutoff)
        held: set[int] = set()  # chats whose first unsent message waits
        done: set[int] = set()
        for row in heads:
            done.add(row.id)
            if row.chat_id in held:
                self.report.held_back += 1
            elif row.due_at > cutoff or not await self._deliver(row):
                held.add(row.chat_id)
        after: tuple[datetime, int] | None = None
        while True:
            batch = await self.context.database.run(self._due, cutoff, after)
            for row in batch:
                if row.id in done:
                    continue
                if row.chat_id in held:
                    self.report.held_back += 1
                elif not await self._deliver(row):
                    held.add(row.chat_id)
            if len(batch) < BATCH:
                return
            after = (batch[-1].due_at, batch[-1].id)

    async def _deliver(self, row: _Pending) -> bool:
        """Send one message; ``False`` when it failed for now and its chat must wait."""
        while True:
            await self.pacer.turn()
            if not await self.context.database.run(self._mark, row.id):
                return True  # deleted meanwhile (/forget, a withdrawn request): not sent
            try:
                await self.send(row.chat_id, row.reply)
            except SlowDown as exc:
                # Telegram sent nothing and asks for a pause: everything waits, then this
                # same message goes first.
                self.report.slowed_down += 1
                self.pacer.hold(exc.seconds)
                if not row.marked:
                    await self.context.database.run(self._unmark, row.id)
                continue
            except Undeliverable as exc:
                self.report.dropped[exc.reason] += 1
                await self.context.database.run(self._delete, row.id)
                return True
            except Exception as exc:
                # Transient: try again later; a message that may have arrived keeps its mark,
                # so sending it again is counted as a possible duplicate.
                self.report.waiting[type(exc).__name__] += 1
                keep_mark = row.marked or isinstance(exc, MaybeSent)
                await self.context.database.run(self._retry_later, row.id, keep_mark)
                return False
            await self.context.database.run(self._delete, row.id)
            OUTBOX_SENT.inc()
            self.report.sent += 1
            if row.marked:
                OUTBOX_POSSIBLE_DUPLICATES.inc()
                self.report.possible_duplicates += 1
            return True

    # -- database steps: each one unit of work, run in a worker thread (Database.run) --

    def _pending(self, rows: list[OutboundMessage]) -> list[_Pending]:
        return [
            _Pending(row.id, self.sealer.open(row.chat_token, row.purpose), row.reply(),
                     row.due_at, row.sending_since is not None)
            for row in rows
        ]

    def _heads(self, session: Session, cutoff: datetime) -> list[_Pending]:
        """The rows that failed or were being sent, due or not (and the lag gauge)."""
        _measure_lag(session, cutoff)
        rows = session.scalars(
            select(OutboundMessage)
            .where(or_(OutboundMessage.attempts > 0,
                       OutboundMessage.sending_since.is_not(None)))
            .order_by(OutboundMessage.due_at, OutboundMessage.id)
        ).all()  # all of them (one per chat in trouble at most): each holds its chat
        return self._pending(list(rows))

    def _due(self, session: Session, cutoff: datetime,
             after: tuple[datetime, int] | None) -> list[_Pending]:
        """The next rows due at ``cutoff``, in sending order, after ``after`` (keyset paging,
        so rows passed over because their chat waits are not read again in this run)."""
        query = select(OutboundMessage).where(OutboundMessage.due_at <= cutoff)
        if after is not None:
            due_at, row_id = after
            query = query.where(or_(
                OutboundMessage.due_at > due_at,
                and_(OutboundMessage.due_at == due_at, OutboundMessage.id > row_id),
            ))
        rows = session.scalars(
            query.order_by(OutboundMessage.due_at, OutboundMessage.id).limit(BATCH)
        ).all()
        return self._pending(list(rows))

    def _mark(self, session: Session, row_id: int) -> bool:
        """Note that the message is about to go; ``False`` if the row is gone."""
        result = session.execute(
            update(OutboundMessage).where(OutboundMessage.id == row_id)
            .values(sending_since=self.context.clock())
        )
        return (result.rowcount or 0) > 0  # type: ignore[attr-defined]

    @staticmethod
    def _unmark(session: Session, row_id: int) -> None:
        session.execute(update(OutboundMessage).where(OutboundMessage.id == row_id)
                        .values(sending_since=None))

    @staticmethod
    def _delete(session: Session, row_id: int) -> None:
        session.execute(delete(OutboundMessage).where(OutboundMessage.id == row_id))

    def _retry_later(self, session: Session, row_id: int, keep_mark: bool) -> None:
        row = session.get(OutboundMessage, row_id)
        if row is None:
            return
        row.attempts += 1
        row.due_at = self.context.clock() + backoff(row.attempts)
        if not keep_mark:
            row.sending_since = None


def _measure_lag(session: Session, cutoff: datetime) -> None:
    """Set the lag gauge: how long the oldest due message has waited at ``cutoff``."""
    oldest = session.scalar(
        select(func.min(OutboundMessage.due_at)).where(OutboundMessage.due_at <= cutoff)
    )
    OUTBOX_LAG.set(max(0.0, (cutoff - oldest).total_seconds()) if oldest else 0.0)


def _log(report: RunReport) -> None:
    """Count lines for the operator; never a chat id or a text."""
    if report.sent:
        log.debug("outbox: %d message(s) sent", report.sent)
    if report.possible_duplicates:
        log.warning("outbox: %d message(s) sent again after a sender stopped mid-send "
                    "(possible duplicates)", report.possible_duplicates)
    if report.slowed_down:
        log.info("outbox: Telegram asked to slow down %d time(s); waited as asked",
                 report.slowed_down)
    if report.waiting:
        kinds = ", ".join(f"{name}: {count}" for name, count in sorted(report.waiting.items()))
        log.warning("outbox: %d message(s) not delivered for now (%s); they and %d later "
                    "message(s) of their chats wait", sum(report.waiting.values()), kinds,
                    report.held_back)
    if report.dropped:
        log.warning("outbox: %d message(s) dropped: %d to chats that are gone, %d refused by "
                    "Telegram", sum(report.dropped.values()),
                    report.dropped[Undeliverable.CHAT_GONE], report.dropped[Undeliverable.REFUSED])
