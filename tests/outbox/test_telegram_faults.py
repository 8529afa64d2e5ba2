"""The outbox against the fake Telegram Bot API misbehaving: 429 with ``retry_after`` and
5xx for a while, blocked people and unknown chats, no answer at all; and two workers sending
at once. Everything the people should get arrives once, in order; nothing is lost."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from fakes.telegram_api import FakeTelegram
from outbox_harness import (
    ON_POSTGRES,
    Clock,
    VirtualTime,
    pending,
    possible_duplicates,
    queue,
    settings,
    worker,
)
from telegram import Bot
from telegram.error import NetworkError
from telegram.request import HTTPXRequest

from bot.channels.telegram_jobs import telegram_sender
from bot.context import AppContext
from bot.outbox import sending
from bot.outbox import service as outbox
from bot.outbox.errors import MaybeSent, SlowDown, Undeliverable
from bot.vocabulary import Reply

# python-telegram-bot 22 itself warns when it builds a RetryAfter (its retry_after turns from
# int into timedelta in version 23); the bot reads either.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def context(database) -> AppContext:
    return AppContext(settings(), database, Clock())


def texts(tg: FakeTelegram, chat_id: int) -> list[str]:
    return [message.plain_text for message in tg.sent(chat_id)]


async def deliver_all(context: AppContext, send: sending.Send, time: VirtualTime,
                      rounds: int = 10) -> None:
    """Delivery runs, the clock moved past every backoff in between, until nothing is left."""
    pacer = time.pacer(context.settings.telegram_messages_per_second)
    for _ in range(rounds):
        await outbox.deliver_due(context, send, pacer=pacer)
        if pending(context) == 0:
            return
        context.clock.now += sending.MAX_BACKOFF  # type: ignore[attr-defined]
    raise AssertionError(f"{pending(context)} message(s) still queued after {rounds} runs")


async def test_after_429s_and_5xx_for_a_while_everything_arrives_in_order(
    context: AppContext, telegram: tuple[FakeTelegram, Bot],
) -> None:
    tg, bot = telegram
    people = [tg.user(7_000 + n) for n in range(3)]
    for number in range(1, 5):
        for person in people:
            queue(context, person.id, f"Bericht {number}", purpose=f"subscription:{person.id}")
    tg.fail_next("sendMessage", 429, times=2, retry_after=3)
    tg.fail_next("sendMessage", 500, times=2)
    tg.fail_next("sendMessage", 502)
    time = VirtualTime()
    before = possible_duplicates()

    await deliver_all(context, telegram_sender(bot), time)

    for person in people:
        assert texts(tg, person.id) == [f"Bericht {n}" for n in range(1, 5)]
    statuses = [call.status for call in tg.calls("sendMessage")]
    assert statuses[:5] == [429, 429, 500, 500, 502]
    assert statuses[5:] == [200] * 12  # nothing dropped, nothing twice
    assert [s for s in time.sleeps if s >= 1] == pytest.approx([3, 3])  # as Telegram asked
    assert possible_duplicates() == before  # Telegram answered every failed call
    tg.assert_no_rejected()


async def test_a_blocked_person_and_an_unknown_chat_are_dropped_others_served(
    context: AppContext, telegram: tuple[FakeTelegram, Bot],
) -> None:
    tg, bot = telegram
    blocked, served = tg.user(7_101), tg.user(7_102)
    tg.block(blocked)
    queue(context, blocked.id, "Uw antwoord")
    queue(context, 7_999, "Uw antwoord")  # a chat Telegram does not know (any more)
    queue(context, served.id, "Uw antwoord")
    queue(context, blocked.id, "Herinnering")
    await deliver_all(context, telegram_sender(bot), VirtualTime(), rounds=1)
    assert texts(tg, served.id) == ["Uw antwoord"]
    assert pending(context) == 0


async def test_telegram_errors_are_told_apart_for_the_outbox(
    telegram: tuple[FakeTelegram, Bot],
) -> None:
    tg, bot = telegram
    person, blocked = tg.user(7_201), tg.user(7_202)
    tg.block(blocked)
    send = telegram_sender(bot)

    tg.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(SlowDown) as slow:
        await send(person.id, Reply("hallo"))
    assert slow.value.seconds == 7
    tg.fail_next("sendMessage", 503)
    with pytest.raises(NetworkError) as server_error:  # answered: not sent, not MaybeSent
        await send(person.id, Reply("hallo"))
    assert not isinstance(server_error.value, MaybeSent)
    with pytest.raises(Undeliverable) as gone:
        await send(blocked.id, Reply("hallo"))
    assert gone.value.reason == Undeliverable.CHAT_GONE
    with pytest.raises(Undeliverable) as unknown:
        await send(7_999, Reply("hallo"))
    assert unknown.value.reason == Undeliverable.CHAT_GONE
    with pytest.raises(Undeliverable) as refused:
        await send(person.id, Reply("<b>hallo"))  # markup Telegram cannot parse
    assert refused.value.reason == Undeliverable.REFUSED
    await send(person.id, Reply("hallo"))
    assert texts(tg, person.id) == ["hallo"]


async def test_no_answer_may_mean_it_arrived_a_refused_connection_does_not() -> None:
    silence = asyncio.Event()

    async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await silence.wait()
        writer.close()

    server = await asyncio.start_server(never_answers, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        silent = Bot("123:abc", base_url=f"http://127.0.0.1:{port}/bot",
                     request=HTTPXRequest(read_timeout=0.3))
        with pytest.raises(MaybeSent):
            await telegram_sender(silent)(1, Reply("hallo"))
    finally:
        silence.set()
        server.close()
        await server.wait_closed()
    closed = Bot("123:abc", base_url=f"http://127.0.0.1:{port}/bot")
    with pytest.raises(NetworkError) as refused:
        await telegram_sender(closed)(1, Reply("hallo"))
    assert not isinstance(refused.value, MaybeSent)


@ON_POSTGRES
async def test_two_senders_at_once_send_every_message_exactly_once(
    context: AppContext, telegram: tuple[FakeTelegram, Bot],
) -> None:
    tg, bot = telegram
    people = [tg.user(7_300 + n) for n in range(10)]
    for number in range(3):
        for person in people:
            queue(context, person.id, f"Bericht {number}")
    first_handed_over, go_on = asyncio.Event(), asyncio.Event()
    send_a = telegram_sender(bot)

    async def slow_telegram(chat_id: int, reply: Reply) -> None:
        await send_a(chat_id, reply)
        if not first_handed_over.is_set():  # the first answer takes a while to come back
            first_handed_over.set()
            await go_on.wait()

    other = worker(context)
    try:
        async with Bot(tg.token, base_url=tg.api_base_url) as bot_b:
            worker_a = asyncio.create_task(
                outbox.deliver_due(context, slow_telegram, pacer=VirtualTime().pacer()))
            await first_handed_over.wait()
            # Worker B's job comes round while worker A is in the middle of sending.
            sent_by_b = await outbox.deliver_due(other, telegram_sender(bot_b),
                                                 pacer=VirtualTime().pacer())
            go_on.set()
            sent_by_a = await worker_a
        assert (sent_by_a, sent_by_b) == (30, 0)
        for person in people:
            assert texts(tg, person.id) == ["Bericht 0", "Bericht 1", "Bericht 2"]
        assert pending(context) == 0
        # And when their rounds come at the same moment, still one sender.
        for person in people:
            queue(context, person.id, "Bericht 3")
        async with Bot(tg.token, base_url=tg.api_base_url) as bot_b:
            results = await asyncio.gather(
                outbox.deliver_due(context, telegram_sender(bot), pacer=VirtualTime().pacer()),
                outbox.deliver_due(other, telegram_sender(bot_b), pacer=VirtualTime().pacer()),
            )
        assert sum(results) == 10
        for person in people:
            assert texts(tg, person.id)[3:] == ["Bericht 3"]
    finally:
        other.database.dispose()


async def test_a_chat_waiting_after_a_5xx_does_not_hold_up_the_next_runs_of_others(
    context: AppContext, telegram: tuple[FakeTelegram, Bot],
) -> None:
    tg, bot = telegram
    slow, quick = tg.user(7_401), tg.user(7_402)
    queue(context, slow.id, "Eerste")
    tg.fail_next("sendMessage", 500)
    time = VirtualTime()
    await outbox.deliver_due(context, telegram_sender(bot), pacer=time.pacer())
    queue(context, slow.id, "Tweede")
    queue(context, quick.id, "Antwoord")
    context.clock.now += timedelta(seconds=1)  # type: ignore[attr-defined]
    assert await outbox.deliver_due(context, telegram_sender(bot), pacer=time.pacer()) == 1
    assert texts(tg, quick.id) == ["Antwoord"] and texts(tg, slow.id) == []
    context.clock.now += sending.FIRST_BACKOFF  # type: ignore[attr-defined]
    assert await outbox.deliver_due(context, telegram_sender(bot), pacer=time.pacer()) == 2
    assert texts(tg, slow.id) == ["Eerste", "Tweede"]
