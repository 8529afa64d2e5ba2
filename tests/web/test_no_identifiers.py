"""No pseudonym, chat id, Telegram id or sealed token on any page or in any CSV."""

from __future__ import annotations

from sqlalchemy import select
from web.dashboard_helpers import ask, citizen, csrf_of, login

from bot.feedback import service as feedback
from bot.requests import service as requests
from bot.requests.models import HelpRequest
from bot.staff.scope import Scope
from bot.stats.counters import Event, count


def _pages(client, codes: list[str]) -> list[str]:
    """Every GET page of the dashboard (and its CSV, JSON and SVG downloads)."""
    paths = ["/login", "/requests", "/requests?status=all", "/directory", "/directory/meetings",
             "/directory/import", "/directory/export.csv", "/directory/export.json",
             "/statistics", "/statistics/export.csv", "/statistics/missing",
             "/statistics/missing.csv", "/statistics/chart/request.svg", "/audit"]
    paths += [f"/requests/{code}" for code in codes]
    for status in ("new", "in_progress", "answered", "closed", "withdrawn", "expired"):
        paths.append(f"/requests?status={status}")
    if client.app.state.facilitators_enabled:
        paths.append("/facilitators")
    bodies = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        bodies.append(response.text)
    return bodies


def test_no_page_or_csv_shows_a_citizens_identifiers(client, context) -> None:
    person = citizen(context)
    first = ask(context, person, "من در تیلبورگ تنها هستم [phone]")
    second = ask(context, person, "nog een vraag", language="nl", municipality=None)
    with context.database.session() as session:
        requests.citizen_reply(session, context, pseudonym=person.pseudonym, code=first,
                               text="ممنون")
        count(session, Event.REQUEST, topic="loneliness", language="fa",
              municipality_code="GM0855", now=context.clock())
        tokens = session.scalars(select(HelpRequest.chat_token)).all()
        feedback.invite(session, context, pseudonym=person.pseudonym, chat_id=person.chat_id,
                        referral=feedback.Referral("search", "grief", "fa", "GM0855"))
        admin = Scope("admin", "admin", None, (), True)
        requests.answer(session, context, admin, second, template="own_words",
                        own_words="Hoi, we helpen je graag.")
    login(client, "admin")
    csrf = csrf_of(client.get(f"/requests/{first}").text)
    client.post(f"/requests/{first}/answer", data={"template": "ask_municipality",
                                                  "csrf_token": csrf})
    secrets = [person.pseudonym, str(person.user_id), str(person.chat_id),
               *(t for t in tokens if t)]
    for body in _pages(client, [first, second]):
        for secret in secrets:
            assert secret not in body
    assert any(first in body for body in _pages(client, [first]))
