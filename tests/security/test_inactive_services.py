"""Inactive services are not reachable by their id (issue 13 finding 8).

The search never shows a service that is inactive, defunct or temporarily closed. Its id
still travels: on an old poster (the group page deep link), in an old or forged "open group",
"Remind me" or "Add to calendar" button, in a calendar app subscribed to the public feed.
Each of those answers "not found", as for an id that never existed; the active group next to
it is shown as before.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import pytest
from fakes.telegram_api import FakeTelegram
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from staffgroups import make_group
from telegram.ext import Application
from telegram_harness import deliver

from bot.channels.router import Router
from bot.channels.telegram_handlers import ROUTER_KEY
from bot.context import AppContext
from bot.db.session import Database
from bot.directory.models import Service
from bot.i18n.catalogs import Translator
from bot.reminders.models import Subscription
from bot.settings import Settings
from bot.web.app import create_app

NOT_FOUND = "I can't find that group any more. Maybe it stopped or moved."
STATUSES = ["inactive", "defunct", "temporarily closed"]


def context_of(bot: Application) -> AppContext:
    router: Router = bot.bot_data[ROUTER_KEY]
    return router.pipeline.context


def groups(context: AppContext, status: str) -> tuple[str, str]:
    """An active group, and one with ``status``."""
    with context.database.session() as session:
        active = make_group(session, "Rouwgroep Actief (test)")
        closed = make_group(session, "Rouwgroep Gesloten (test)")
        session.get(Service, closed).status = status  # type: ignore[union-attr]
    return active, closed


@pytest.mark.parametrize("status", STATUSES)
async def test_a_deep_link_or_a_button_to_an_inactive_group_says_not_found(
    tg: FakeTelegram, bot: Application, status: str
) -> None:
    context = context_of(bot)
    active, closed = groups(context, status)
    person = tg.user(7_004_001, language_code="tr")
    not_found = Translator("tr").gettext(NOT_FOUND)

    async def answer(send: Awaitable[Any]) -> list[str]:
        before = len(tg.sent(person))
        await send
        await deliver(tg, bot)
        return [m.plain_text for m in tg.sent(person)[before:]]

    # The poster's deep link (/start <group id>): the active group opens, the other does not.
    assert "Rouwgroep Actief (test)" in (await answer(tg.send_command(person, "/start", active)))[0]
    assert await answer(tg.send_command(person, "/start", closed)) == [not_found]
    page = next(m for m in reversed(tg.sent(person)) if m.buttons)
    # Buttons carrying its id (an old message's, or forged): open, remind me, calendar.
    for data in (f"g:{closed}", f"r:{closed}", f"c:{closed}"):
        [said] = await answer(tg.press_button(person, page, data, forged=True))
        assert said == not_found, data
    assert not any(m.document for m in tg.sent(person))  # no .ics was sent
    with context.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Subscription)) == 0


@pytest.mark.parametrize("status", STATUSES)
def test_the_calendar_feed_of_an_inactive_group_is_not_found(
    sqlite_database: Database, status: str
) -> None:
    context = AppContext(Settings(), sqlite_database)  # the dashboard's: no Telegram
    active, closed = groups(context, status)
    client = TestClient(create_app(context))
    assert client.get(f"/feeds/groups/{active}.ics").status_code == 200
    gone = client.get(f"/feeds/groups/{closed}.ics")
    assert gone.status_code == 404
    assert "Gesloten" not in gone.text
    assert client.get(f"/feeds/groups/{closed}.ics?lang=tr").status_code == 404
