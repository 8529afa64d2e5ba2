"""How the outbox sends (bot/outbox/sending.py), on SQLite and PostgreSQL: bulk sends spread
out at the configured rate, each chat's messages in order through failures, Telegram's pauses
honoured, a message perhaps sent by a sender that died sent again and counted, nothing lost.

The pacer runs on a virtual time (sleeping moves it forward), so nothing here waits."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from outbox_harness import (
    Clock,
    VirtualTime,
    metric,
    pending,
    possible_duplicates,
    queue,
    sent_total,
    settings,
    worker,
)
from sqlalchemy import update

from bot.context import AppContext
from bot.outbox import sending
from bot.outbox import service as outbox
from bot.outbox.errors import MaybeSent, SlowDown, Undeliverable
from bot.outbox.models import OutboundMessage
from bot.vocabulary import Reply

CHAT_A, CHAT_B, CHAT_C = 5_550_001, 5_550_002, 5_550_003


@pytest.fixture
def context(database) -> AppContext:
    return AppContext(settings(telegram_messages_per_second=25), database, Clock())


async def run(context: AppContext, send: sending.Send) -> int:
    """One delivery run, paced on a virtual time (nothing waits)."""
    return await outbox.deliver_due(context, send, pacer=VirtualTime().pacer())


class Recorder:
    """A send that records (virtual time, chat id, text) and fails as a test tells it to."""

    def __init__(self, time: VirtualTime | None = None) -> None:
        self.time = time
        self.sent: list[tuple[float, int, str]] = []
        self.calls: list[str] = []
        self.failures: dict[str, list[BaseException]] = {}

    def fail(self, text: str, *errors: BaseException) -> None:
        """The next sends of ``text`` raise ``errors``, one each."""
        self.failures.setdefault(text, []).extend(errors)

    async def __call__(self, chat_id: int, reply: Reply) -> None:
        self.calls.append(reply.text)
        queued = self.failures.get(reply.text)
        if queued:
            raise queued.pop(0)
        self.sent.append((self.time() if self.time else 0.0, chat_id, reply.text))

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [text for _, chat, text in self.sent if chat_id is None or chat == chat_id]


async def test_a_bulk_send_is_spread_out_at_the_configured_rate(context: AppContext) -> None:
    for n in range(200):  # a series cancelled for 200 subscribers
        queue(context, 6_000_000 + n, f"cancelled {n}", purpose=f"subscription:{n}")
    time = VirtualTime()
    send = Recorder(time)
    before = sent_total()
    assert await outbox.deliver_due(context, send, pacer=time.pacer(25)) == 200
    assert sent_total() - before == 200
    assert sorted(send.texts()) == sorted(f"cancelled {n}" for n in range(200))
    moments = [moment for moment, _, _ in send.sent]
    # Never more than 25 in any second; 200 messages take 8 seconds, not one burst.
    assert all(moments[i + 25] - moments[i] >= 1.0 - 1e-9 for i in range(len(moments) - 25))
    assert moments[-1] - moments[0] == pytest.approx(199 / 25)
    assert pending(context) == 0


async def test_the_lag_of_the_oldest_due_message_is_measured(context: AppContext) -> None:
    queue(context, CHAT_A, "old", due_at=context.clock() - timedelta(seconds=90))
    queue(context, CHAT_A, "later", due_at=context.clock() + timedelta(hours=1))  # not due
    await outbox.deliver_due(context, Recorder(), pacer=VirtualTime().pacer())
    assert metric("steunwijzer_outbox_lag_seconds") == pytest.approx(90)
    await outbox.deliver_due(context, Recorder(), pacer=VirtualTime().pacer())
    assert metric("steunwijzer_outbox_lag_seconds") == 0


async def test_a_transient_failure_holds_that_chat_in_order_while_others_go_on(
    context: AppContext, caplog: pytest.LogCaptureFixture,
) -> None:
    for text in ("A1", "B1", "A2", "B2", "A3"):
        queue(context, CHAT_A if text[0] == "A" else CHAT_B, text)
    send = Recorder()
    send.fail("A1", ConnectionError("reset"))
    caplog.set_level(logging.WARNING, logger="bot.outbox")
    assert await run(context, send) == 2
    assert send.texts() == ["B1", "B2"]  # A2 and A3 did not overtake A1
    assert str(CHAT_A) not in caplog.text and "A1" not in caplog.text
    assert "1 message(s) not delivered for now (ConnectionError: 1)" in caplog.text
    assert "2 later message(s)" in caplog.text

    context.clock.now += sending.FIRST_BACKOFF - timedelta(seconds=1)  # type: ignore[attr-defined]
    queue(context, CHAT_A, "A4")  # written while the chat waits
    assert await run(context, send) == 0
    context.clock.now += timedelta(seconds=1)  # type: ignore[attr-defined]
    assert await run(context, send) == 4
    assert send.texts(CHAT_A) == ["A1", "A2", "A3", "A4"]
    assert pending(context) == 0


async def test_a_message_due_later_never_overtakes_one_that_waits(context: AppContext) -> None:
    queue(context, CHAT_A, "first")
    queue(context, CHAT_A, "second", due_at=context.clock() + timedelta(seconds=10))
    send = Recorder()
    send.fail("first", OSError("down"), OSError("down"))
    clock: Clock = context.clock  # type: ignore[assignment]
    start = clock.now
    await run(context, send)  # fails; again in 5 s
    clock.now = start + timedelta(seconds=5)
    await run(context, send)  # fails again; again in 10 s (at 15 s)
    clock.now = start + timedelta(seconds=12)  # "second" is due, "first" still waits
    assert await run(context, send) == 0
    clock.now = start + timedelta(seconds=15)
    assert await run(context, send) == 2
    assert send.texts() == ["first", "second"]


async def test_telegram_asking_to_slow_down_is_honoured_and_the_order_kept(
    context: AppContext,
) -> None:
    for text in ("A1", "B1", "A2"):
        queue(context, CHAT_A if text[0] == "A" else CHAT_B, text)
    time = VirtualTime()
    send = Recorder(time)
    send.fail("A1", SlowDown(3), SlowDown(2))
    assert await outbox.deliver_due(context, send, pacer=time.pacer(25)) == 3
    assert send.texts() == ["A1", "B1", "A2"]  # the same message first, after the pause
    assert send.calls == ["A1", "A1", "A1", "B1", "A2"]
    assert [s for s in time.sleeps if s >= 1] == pytest.approx([3, 2])
    assert send.sent[0][0] == pytest.approx(5)  # nothing went before the pauses were over
    assert pending(context) == 0


async def test_a_message_left_marked_by_a_sender_that_died_is_sent_again_and_counted(
    context: AppContext, caplog: pytest.LogCaptureFixture,
) -> None:
    first = queue(context, CHAT_A, "A1")
    queue(context, CHAT_A, "A2")
    queue(context, CHAT_B, "B1")
    # The sender marked A1, perhaps handed it to Telegram, and died before deleting it.
    with context.database.session() as session:
        session.execute(update(OutboundMessage).where(OutboundMessage.id == first)
                        .values(sending_since=context.clock()))
    before = possible_duplicates()
    caplog.set_level(logging.WARNING, logger="bot.outbox")
    restarted = worker(context)
    send = Recorder()
    assert await run(restarted, send) == 3
    assert send.texts(CHAT_A) == ["A1", "A2"] and send.texts(CHAT_B) == ["B1"]
    assert possible_duplicates() - before == 1
    assert "1 message(s) sent again after a sender stopped mid-send" in caplog.text
    assert str(CHAT_A) not in caplog.text
    assert pending(context) == 0
    restarted.database.dispose()


async def test_a_sender_stopped_in_the_middle_of_a_send_leaves_it_to_the_next(
    context: AppContext,
) -> None:
    queue(context, CHAT_A, "A1")
    queue(context, CHAT_A, "A2")
    handed_over = asyncio.Event()

    async def hangs(chat_id: int, reply: Reply) -> None:
        handed_over.set()
        await asyncio.Event().wait()  # Telegram has it; the answer never comes back

    dying = asyncio.create_task(outbox.deliver_due(context, hangs))
    await handed_over.wait()
    dying.cancel()  # the worker stops here
    with pytest.raises(asyncio.CancelledError):
        await dying
    before = possible_duplicates()
    send = Recorder()
    other = worker(context)
    assert await run(other, send) == 2  # the claim was given back
    assert send.texts() == ["A1", "A2"]
    assert possible_duplicates() - before == 1
    other.database.dispose()


async def test_a_send_without_an_answer_is_retried_and_counted_as_a_possible_duplicate(
    context: AppContext,
) -> None:
    queue(context, CHAT_A, "A1")
    send = Recorder()
    send.fail("A1", MaybeSent("TimedOut"))
    before = possible_duplicates()
    assert await run(context, send) == 0
    context.clock.now += sending.FIRST_BACKOFF  # type: ignore[attr-defined]
    assert await run(context, send) == 1
    assert send.texts() == ["A1"]
    assert possible_duplicates() - before == 1


async def test_messages_to_a_chat_that_is_gone_are_dropped_and_counted(
    context: AppContext, caplog: pytest.LogCaptureFixture,
) -> None:
    for text in ("A1", "B1", "A2", "C1"):
        queue(context, {"A": CHAT_A, "B": CHAT_B, "C": CHAT_C}[text[0]], text)
    send = Recorder()
    send.fail("A1", Undeliverable(Undeliverable.CHAT_GONE))
    send.fail("A2", Undeliverable(Undeliverable.CHAT_GONE))
    send.fail("C1", Undeliverable(Undeliverable.REFUSED))
    caplog.set_level(logging.WARNING, logger="bot.outbox")
    assert await run(context, send) == 1
    assert send.texts() == ["B1"]
    assert pending(context) == 0
    assert ("3 message(s) dropped: 2 to chats that are gone, 1 refused by Telegram"
            in caplog.text)
    assert str(CHAT_A) not in caplog.text


async def test_a_message_deleted_during_a_run_is_not_sent(context: AppContext) -> None:
    queue(context, CHAT_A, "answer", purpose="request:AB-CDE")
    queue(context, CHAT_B, "thanks", purpose="request:XY-ZZZ")
    sent: list[str] = []

    async def send(chat_id: int, reply: Reply) -> None:
        sent.append(reply.text)
        with context.database.session() as session:  # meanwhile someone says /forget
            outbox.discard(session, "request:XY-ZZZ")

    assert await run(context, send) == 1
    assert sent == ["answer"]
