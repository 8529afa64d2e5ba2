"""Telegram answering 429 ("retry after n seconds") to the bot's answers: waited out, nothing
lost, nothing sent twice, a crisis answer too (no rate limiter holds it back in the bot)."""

from __future__ import annotations

from fakes.telegram_api import FakeTelegram
from telegram.ext import Application
from telegram_harness import deliver


async def test_an_answer_refused_with_429_is_sent_after_the_wait_once(
    tg: FakeTelegram, bot: Application
) -> None:
    person = tg.user(7_004_001, language_code="nl")
    tg.fail_next("sendMessage", 429, retry_after=1)
    await tg.send_command(person, "/start")
    await deliver(tg, bot)
    sent = tg.sent(person)
    assert len(sent) == 1, [m.plain_text for m in sent]  # the refused call sent nothing
    assert sent[0].buttons  # the welcome with its choices, after the wait


async def test_a_crisis_answer_refused_with_429_still_reaches_the_person(
    tg: FakeTelegram, bot: Application
) -> None:
    person = tg.user(7_004_002, language_code="tr")
    tg.fail_next("sendMessage", 429, times=2, retry_after=1)
    await tg.send_text(person, "artık yaşamak istemiyorum, hepsini bitireceğim")
    await deliver(tg, bot)
    texts = [m.plain_text for m in tg.sent(person)]
    assert any("113" in text for text in texts), texts


async def test_a_429_that_does_not_end_reaches_the_error_handler_not_the_log_with_text(
    tg: FakeTelegram, bot: Application, caplog
) -> None:
    person = tg.user(7_004_003, language_code="nl")
    tg.fail_next("sendMessage", 429, times=50, retry_after=1)
    await tg.send_text(person, "hallo")
    await deliver(tg, bot)
    tg.clear_faults()
    assert "hallo" not in caplog.text
    assert "RetryAfter" in caplog.text  # the error handler names the type, nothing else
