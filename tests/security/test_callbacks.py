"""Forged callback data (issue 13 findings 3 and 8): a person in bad faith sends "button
presses" whose data a modified Telegram client made up (the MTProto API lets a client send
any 1-64 bytes for a message that has buttons).

Every callback path (the citizen's options, follow-up and feedback codes, groups, reminders
and calendars, a facilitator's steps, data nobody reads) ends in a kind answer in the
person's language: never a traceback, never a log line with what was pressed or who pressed
it. The audit's example: ``"²".isdigit()`` is true and ``int("²")`` fails, which made
``o:fbg:x:²`` a traceback with the data in it.

And the one error handler: when answering does fail, the person hears so kindly, in their
language, and the log says only what failed where.
"""

from __future__ import annotations

import logging

import pytest
from fakes.telegram_api import FakeTelegram, FakeUser, SentMessage
from staffgroups import make_facilitator, make_group
from telegram.ext import Application
from telegram_harness import deliver

from bot.channels.router import Router
from bot.channels.telegram_handlers import ROUTER_KEY
from bot.facilitators import errors
from bot.facilitators.errors import Refused
from bot.facilitators.texts import ask
from bot.i18n.catalogs import Translator
from bot.privacy.pseudonym import pseudonym_for

PERSON = 7_002_001
_ = Translator("tr").gettext
FEEDBACK_GONE = _("This question has already been answered or has expired. Thank you!")
REQUEST_GONE = _("This question is closed or no longer exists. You can always ask a new one.")
STALE = _("That button no longer works. You can start again here:")
NOT_FOUND = _("I can't find that group any more. Maybe it stopped or moved.")
NOT_A_FACILITATOR = Refused(errors.NOT_A_FACILITATOR).render("tr")

#: Forged data on every citizen path, with the first line of the answer expected (in Turkish).
FORGED = [
    ("o:fbg:x:²", FEEDBACK_GONE),  # the audit's traceback
    ("o:fbg:x:١", FEEDBACK_GONE),  # an Arabic-Indic digit: int() reads it, no button sends it
    ("o:fbg:x:99", FEEDBACK_GONE),
    ("o:fbg:²", FEEDBACK_GONE),
    ("o:fbr:x:²", FEEDBACK_GONE),
    ("o:fbr::went", FEEDBACK_GONE),
    ("o:fbsearch:x", FEEDBACK_GONE),
    ("o:reply:²", REQUEST_GONE),
    ("o:withdraw:", REQUEST_GONE),
    ("o:fbyes:AB-CDE:x", REQUEST_GONE),
    ("zz:1", STALE),
    ("²", STALE),
    ("Fz:0", STALE),
    ("g:²", NOT_FOUND),
    ("s:²", NOT_FOUND),
    ("r:²", NOT_FOUND),
    ("c:²", NOT_FOUND),
    ("Fg:²", NOT_A_FACILITATOR),
    ("Fm:²", NOT_A_FACILITATOR),
    ("FL:²", NOT_A_FACILITATOR),
]
#: Forged data whose answer is some ordinary question or menu: it must simply not break.
ANSWERED_SOMEHOW = ["x:²", "t:²", "p:²", "l:²", "m:²", "nw:²", "na:²", "nd:²:²", "nn:²", "f:²",
                    "o:²", "o:", "t:" + "²" * 20]


async def press(tg: FakeTelegram, bot: Application, person: FakeUser, message: SentMessage,
                data: str) -> list[SentMessage]:
    """A forged press on ``message``; what the bot sent back (each update runs to its end)."""
    before = len(tg.sent(person))
    await tg.press_button(person, message, data, forged=True)
    await deliver(tg, bot)
    return tg.sent(person)[before:]


async def menu(tg: FakeTelegram, bot: Application, person: FakeUser) -> SentMessage:
    """The person starts; the bot's last message with buttons."""
    await tg.send_command(person, "/start")
    await deliver(tg, bot)
    return next(m for m in reversed(tg.sent(person)) if m.buttons)


def assert_quiet(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    """No warning or error, no traceback, and none of ``secrets`` in any log line."""
    for record in caplog.records:
        line = record.getMessage()
        assert record.levelno < logging.WARNING, line
        assert record.exc_info is None and "Traceback" not in line, line
        assert not any(secret in line for secret in secrets), line


async def test_forged_callback_data_gets_a_kind_answer_in_the_persons_language(
    tg: FakeTelegram, bot: Application, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    person = tg.user(PERSON, language_code="tr")
    message = await menu(tg, bot, person)
    for data, expected in FORGED:
        answer = await press(tg, bot, person, message, data)
        assert answer, f"no answer to {data!r}"
        assert answer[0].plain_text.startswith(expected.split("{")[0]), (data, answer[0])
    for data in ANSWERED_SOMEHOW:
        assert await press(tg, bot, person, message, data), f"no answer to {data!r}"
    assert tg.unanswered_callback_queries() == []  # every spinner stopped
    tg.assert_no_rejected()
    assert_quiet(caplog, "²", "١", str(PERSON), "AB-CDE")


async def test_a_facilitators_forged_step_buttons_ask_the_question_again(
    tg: FakeTelegram, bot: Application, caplog: pytest.LogCaptureFixture
) -> None:
    router: Router = bot.bot_data[ROUTER_KEY]
    context = router.pipeline.context
    with context.database.session() as session:
        for name in ("Rouwgroep A (test)", "Rouwgroep B (test)"):
            make_facilitator(session, context, make_group(session, name), PERSON)
    caplog.set_level(logging.INFO)
    person = tg.user(PERSON, language_code="tr")
    await tg.send_command(person, "/newmeeting")
    await deliver(tg, bot)
    [which] = tg.sent(person)
    assert which.plain_text == ask("tr", "group")
    for data in ["Fg:²", "Fg:²²", "Fg:١", "Fg:-1", "Fg:7", "Fg:0:0", "Fm:²", "Fd:²", "Fy:²"]:
        [again] = await press(tg, bot, person, which, data)
        assert again.plain_text == ask("tr", "group"), data
        assert again.buttons == which.buttons
    # The state did not move: the real button still chooses the group and goes on.
    [day] = await press(tg, bot, person, which, "Fg:0")
    assert day.plain_text == ask("tr", "date")
    assert_quiet(caplog, "²", "١", str(PERSON),
                 pseudonym_for(PERSON, context.settings.pseudonym_secret))


async def test_when_answering_fails_the_person_hears_it_kindly_and_the_log_says_only_where(
    tg: FakeTelegram, bot: Application, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug we do not know of yet, on a button: here a router that raises with the pressed
    data and the person's id in its message, as an unguarded ``int()`` once did."""
    caplog.set_level(logging.INFO)
    person = tg.user(PERSON, language_code="tr")
    message = await menu(tg, bot, person)
    data = next(value for row in message.buttons for _label, value in row if value)

    async def broken(self: Router, citizen: object, intent: str, value: str | None) -> None:
        raise ValueError(f"invalid literal for int() with base 10: {value!r} ({PERSON})")

    monkeypatch.setattr(Router, "button", broken)
    before = len(tg.sent(person))
    await tg.press_button(person, message, data)
    await deliver(tg, bot)
    [sorry] = tg.sent(person)[before:]
    assert sorry.plain_text.startswith(_(
        "Sorry, something went wrong on my side. Please try again in a moment. If you want to "
        "talk to someone now, De Luisterlijn is there day and night: {phone}.").split("{")[0])
    assert tg.unanswered_callback_queries() == []
    errors_logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split(" at ")[0] for r in errors_logged] == [
        "update or job failed: ValueError"]
    for record in caplog.records:
        line = record.getMessage()
        assert record.exc_info is None, line
        assert str(PERSON) not in line and data not in line and "int()" not in line, line
