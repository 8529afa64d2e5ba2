"""The terminal chat runs the facilitator flows through the same core as Telegram.

Lines go in as a person would type them (buttons by their number); the test reads what the
person would see. No Telegram, no NLU service: commands, numbers and the guided steps' typed
answers need neither.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from staffgroups import SPRING, Clock, make_group

from bot.channels.terminal import chat_loop, plain
from bot.context import AppContext
from bot.conversation.pipeline import Pipeline
from bot.directory.models import Meeting
from bot.facilitators import membership
from bot.facilitators.models import Facilitator
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import isolate
from bot.privacy.sealed import generate_key
from bot.settings import Settings


def _(language: str, msgid: str, **values: object) -> str:
    return plain(Translator(language).gettext(msgid, **values))


@pytest.fixture
def context(sqlite_database) -> AppContext:
    settings = Settings(encryption_key=generate_key(), pseudonym_secret="terminal-test",
                        telegram_bot_username="SteunwijzerTestBot")
    return AppContext(settings, sqlite_database, Clock(SPRING))


async def chat(context: AppContext, lines: list[str], language: str) -> str:
    """What the person sees after typing ``lines`` (then end of input)."""
    out = io.StringIO()
    await chat_loop(Pipeline(context, None), io.StringIO("\n".join(lines) + "\n"), out, language)
    return out.getvalue()


def in_order(screen: str, *expected: str) -> None:
    """Each expected text appears on screen, after the one before."""
    position = 0
    for text in expected:
        found = screen.find(text, position)
        assert found >= 0, f"{text!r} not shown (after position {position}):\n{screen}"
        position = found + len(text)


@pytest.mark.parametrize("language", ["nl", "fa"])
async def test_a_facilitator_invited_with_the_cli_posts_a_weekly_meeting(context,
                                                                         language) -> None:
    with context.database.session() as session:
        group_id = make_group(session, "Rouwgroep De Linde (test)", ("tr", "nl"))
        token = membership.create_invitation(session, context, group_id, "cli").token
    screen = await chat(context, [
        f"/start inv_{token}",
        "Ayşe",
        "/newmeeting",
        "2",  # tomorrow
        "19:30",  # typed
        "21:30",
        "2",  # every week
        "1",  # the usual place
        "1",  # the usual languages
        "1",  # no note
        "1",  # save
        "/mygroups",
    ], language)
    with context.database.session() as session:
        planned = session.scalars(select(Meeting).where(Meeting.service_id == group_id)).all()
    in_order(
        screen,
        # Names from data sit in Unicode isolates inside Farsi (invisible on screen).
        _(language, "Welcome! You are now a facilitator of {group}.",
          group=isolate("Rouwgroep De Linde (test)", language)),
        _(language, "Thank you, {name}.", name=isolate("Ayşe", language)),
        _(language, "On which day? Choose a day or type a date (for example 24-12-2026)."),
        "[7] ",  # seven days to choose from, as numbers
        _(language, "What time does it start? Choose or type a time (for example 19:30)."),
        _(language, "Until what time? Choose or type the end time (for example 21:30)."),
        _(language, "Does the meeting repeat?"),
        _(language, "Where is the meeting? Choose, or type the place."),
        _(language, "In which language is the meeting?"),
        _(language, "Add a short note in your own words (for example \"this time in room 2\"), "
          "or press \"No note\". It is shown exactly as you write it, marked as the group's "
          "own text."),
        _(language, "Please check:"),
        Translator(language).ngettext("Saved. {n} meeting is planned.",
                                      "Saved. {n} meetings are planned for the coming weeks.",
                                      len(planned)),
        _(language, "Your groups"),
        "Rouwgroep De Linde (test)",
    )
    assert len(planned) == 12
    with context.database.session() as session:
        [facilitator] = session.scalars(select(Facilitator)).all()
        # The terminal has no chat: nothing to write to later, nothing sealed.
        assert facilitator.chat_token is None and facilitator.display_name == "Ayşe"


async def test_leaving_and_the_refusals_in_the_terminal(context) -> None:
    with context.database.session() as session:
        group_id = make_group(session, "Mantelzorggroep Noord (test)", ("nl",))
        token = membership.create_invitation(session, context, group_id, "cli").token
    screen = await chat(context, [
        "/mygroups",  # not (yet) a facilitator
        f"/start inv_{token}",
        "Bram",
        "/cancelmeeting",  # nothing planned
        "/leave",
        "2",  # no
        "/leave",
        "1",  # yes
        "/editmeeting",
        f"/start inv_{token}",  # used up
    ], "nl")
    not_a_facilitator = _("nl", "You are not a facilitator of any group. A coordinator can "
                          "send you an invitation link.")
    in_order(
        screen,
        not_a_facilitator,
        _("nl", "Thank you, {name}.", name="Bram"),
        _("nl", "This group has no meetings planned. Use /newmeeting to add one."),
        _("nl", "Do you want to stop as facilitator of {group}?",
          group="Mantelzorggroep Noord (test)"),
        _("nl", "Okay, nothing was changed."),
        _("nl", "Done. You are no longer a facilitator of {group}.",
          group="Mantelzorggroep Noord (test)"),
        not_a_facilitator,
        _("nl", "This invitation link was already used. Ask the coordinator for a new one."),
    )
