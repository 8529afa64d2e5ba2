"""The one Telegram error handler (``on_error``): a typed error that escapes a handler is
answered with its own reason, in the person's language (here right-to-left ones), anything
else with the kind general answer; the log says what failed where, never its text. The real
bot against the fake Bot API; nothing of python-telegram-bot is mocked."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from fakes.telegram_api import FakeTelegram
from security.telegram_harness import bot_settings, deliver, running_bot
from telegram.ext import Application

from bot.channels.router import Router
from bot.db.session import Database
from bot.errors import Refused
from bot.facilitators import errors as facilitator_errors
from bot.i18n.catalogs import Translator

PERSON = 7_016_001
SECRET = "ZEBRA-4471 0612345678"
WENT_WRONG = ("Sorry, something went wrong on my side. Please try again in a moment. If you "
              "want to talk to someone now, De Luisterlijn is there day and night: {phone}.")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram, sqlite_database: Database) -> AsyncIterator[Application]:
    async with running_bot(bot_settings(tg), sqlite_database) as application:
        yield application


async def _press_a_broken_button(tg: FakeTelegram, bot: Application, language: str,
                                 error: Exception, monkeypatch: pytest.MonkeyPatch) -> str:
    """The person starts, then presses a button whose handling raises ``error``; what the
    bot said back (exactly one message)."""
    person = tg.user(PERSON, language_code=language)
    await tg.send_command(person, "/start")
    await deliver(tg, bot)
    menu = next(m for m in reversed(tg.sent(person)) if m.buttons)
    data = next(value for row in menu.buttons for _label, value in row if value)

    async def broken(self: Router, citizen: object, intent: str, value: str | None) -> None:
        raise error

    monkeypatch.setattr(Router, "button", broken)
    before = len(tg.sent(person))
    await tg.press_button(person, menu, data)
    await deliver(tg, bot)
    [answer] = tg.sent(person)[before:]
    assert tg.unanswered_callback_queries() == []
    return answer.plain_text


def _only_the_type_and_place(caplog: pytest.LogCaptureFixture, kind: str) -> None:
    failures = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split(" at ")[0] for r in failures] == [
        f"update or job failed: {kind}"]
    assert ".py:" in failures[0].getMessage()
    for record in caplog.records:
        assert record.exc_info is None and SECRET not in record.getMessage()


@pytest.mark.parametrize("language", ["fa", "ar"])
async def test_a_typed_refusal_is_answered_with_its_reason_in_the_persons_language(
    tg: FakeTelegram, bot: Application, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch, language: str,
) -> None:
    caplog.set_level(logging.INFO)
    said = await _press_a_broken_button(tg, bot, language,
                                        Refused(facilitator_errors.NOT_A_GROUP), monkeypatch)
    expected = Translator(language).gettext(facilitator_errors.NOT_A_GROUP)
    assert expected != facilitator_errors.NOT_A_GROUP  # really translated
    assert said == expected
    _only_the_type_and_place(caplog, "Refused")


async def test_an_unexpected_error_is_answered_kindly_in_arabic(
    tg: FakeTelegram, bot: Application, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.INFO)
    said = await _press_a_broken_button(tg, bot, "ar", LookupError(SECRET), monkeypatch)
    opening = Translator("ar").gettext(WENT_WRONG).split("{phone}")[0]
    assert opening != WENT_WRONG.split("{phone}")[0]
    assert said.startswith(opening)
    assert SECRET not in said
    _only_the_type_and_place(caplog, "LookupError")
