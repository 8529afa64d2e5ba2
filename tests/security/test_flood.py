"""The flood limit counts buttons and commands too (issue 13 finding 8).

The attacker: a person who mashes a button (or sends forged callback data, or /start) a
hundred times, each press costing a database turn and replies. They are held back exactly as
someone sending many messages is: the first ``flood_presses`` presses and commands of the
window are answered (a limit of their own, as people tap faster than they type), the next
gets one notice, the rest nothing. A crisis still gets through, typed or after a command.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from fakes.telegram_api import FakeTelegram, FakeUser
from telegram.ext import Application
from telegram_harness import bot_settings, deliver, running_bot

from bot.db.session import Database
from bot.i18n.catalogs import Translator

LIMIT = 3
MASHES = 20
FLOOD_NOTICE = Translator("nl").gettext(
    "You are sending a lot of messages at once. I read them one by one; please wait a moment.")
CRISIS = "ik wil er een eind aan maken"


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram, sqlite_database: Database) -> AsyncIterator[Application]:
    # A window far longer than the test: no turn falls out of it while it runs.
    settings = bot_settings(tg, flood_presses=LIMIT, flood_window_seconds=3600)
    async with running_bot(settings, sqlite_database) as application:
        yield application


async def answers_per_turn(tg: FakeTelegram, bot: Application, person: FakeUser,
                           turns: list[Callable[[], Awaitable[None]]]) -> list[list[str]]:
    """Send each turn (a coroutine factory) and process it to its end; what came back."""
    seen = []
    for turn in turns:
        before = len(tg.sent(person))
        await turn()
        await deliver(tg, bot)
        seen.append([m.plain_text for m in tg.sent(person)[before:]])
    return seen


def held_back_after(answers: list[list[str]], answered: int) -> None:
    """The first ``answered`` turns got their answer, the next one the notice, then silence."""
    assert all(a and FLOOD_NOTICE not in a for a in answers[:answered]), answers[:answered]
    assert answers[answered] == [FLOOD_NOTICE]
    assert answers[answered + 1:] == [[]] * (len(answers) - answered - 1)


@pytest.mark.parametrize("data", [
    "o:peer_group",  # a button of the menu
    "Fg:0",  # a facilitator's button, pressed by someone who is none
    "zz:1",  # data no dialogue reads
])
async def test_mashing_a_button_is_held_back_but_a_crisis_gets_through(
    tg: FakeTelegram, bot: Application, data: str
) -> None:
    person = tg.user(7_003_001, language_code="nl")
    await tg.send_command(person, "/start")  # turn 1 of the window
    await deliver(tg, bot)
    menu = next(m for m in reversed(tg.sent(person)) if m.buttons)

    async def mash() -> None:
        await tg.press_button(person, menu, data, forged=True)

    held_back_after(await answers_per_turn(tg, bot, person, [mash] * MASHES), LIMIT - 1)
    assert tg.unanswered_callback_queries() == []  # every press is acknowledged all the same

    async def crisis() -> None:
        await tg.send_text(person, CRISIS)

    [answer] = await answers_per_turn(tg, bot, person, [crisis])
    assert any("113" in text for text in answer)


async def test_mashing_start_is_held_back_but_a_crisis_after_a_command_gets_through(
    tg: FakeTelegram, bot: Application
) -> None:
    person = tg.user(7_003_002, language_code="nl")

    async def start() -> None:
        await tg.send_command(person, "/start")

    held_back_after(await answers_per_turn(tg, bot, person, [start] * MASHES), LIMIT)

    async def crisis_after_help() -> None:
        await tg.send_command(person, "/help", CRISIS)

    [answer] = await answers_per_turn(tg, bot, person, [crisis_after_help])
    assert any("113" in text for text in answer)


async def test_one_persons_flood_does_not_hold_back_another(
    tg: FakeTelegram, bot: Application
) -> None:
    masher, other = tg.user(7_003_003), tg.user(7_003_004)

    async def start() -> None:
        await tg.send_command(masher, "/start")

    await answers_per_turn(tg, bot, masher, [start] * MASHES)
    await tg.send_command(other, "/start")
    await deliver(tg, bot)
    assert tg.sent(other) and FLOOD_NOTICE not in [m.plain_text for m in tg.sent(other)]
