"""A group's page offers "Remind me" and "Add to calendar" in the reader's language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from staffgroups import make_group

from bot.dialogue import render
from bot.directory.search import get_service_card
from bot.i18n.catalogs import Translator
from bot.reminders.texts import group_buttons
from bot.vocabulary import ButtonIntent

ZONE = ZoneInfo("Europe/Amsterdam")  # the default STEUNWIJZER_TIMEZONE: times below are Dutch


@pytest.mark.parametrize("language", ["nl", "tr", "fa", "ar"])
def test_group_page_has_reminder_and_calendar_buttons(sqlite_database, language: str) -> None:
    with sqlite_database.session() as session:
        group_id = make_group(session)
        card = get_service_card(session, group_id)
    [reply] = render.group_detail(language, card, [], ZONE)
    buttons = {b.intent: b for row in reply.buttons for b in row}
    remind, calendar = buttons[ButtonIntent.REMIND_ME], buttons[ButtonIntent.CALENDAR]
    assert remind.callback_data == f"r:{group_id}" and calendar.callback_data == f"c:{group_id}"
    assert Translator(language).gettext("Remind me") in remind.label
    assert Translator(language).gettext("Add to calendar") in calendar.label
    assert all(len(b.callback_data.encode()) <= 64 for b in buttons.values())


def test_no_buttons_when_the_id_would_overflow_telegrams_64_bytes() -> None:
    assert group_buttons("nl", "g" * 63) == ()
    assert len(group_buttons("nl", "g" * 62)) == 2  # exactly 64 bytes still fits
    assert len(group_buttons("nl", "g" * 36)) == 2
