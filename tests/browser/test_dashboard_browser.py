"""The dashboard in real headless Chromium: login, the Farsi queue, answering with a template,
CSRF, lockout, scope, and the screenshots in docs/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from web.dashboard_helpers import PASSWORD, TILBURG, UTRECHT, ask, citizen

from bot.feedback.models import FeedbackTally
from bot.i18n.catalogs import Translator
from bot.outbox import service as outbox
from bot.privacy.scrub import scrub
from bot.settings import PROJECT_ROOT
from bot.stats.counters import Event, count, iso_week

SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"


def log_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_log_in_see_a_farsi_request_scrubbed_and_answer_it_with_a_template(
        page: Page, dashboard: str, context) -> None:
    person = citizen(context)
    question = scrub("سلام، از وقتی همسرم فوت کرده خیلی تنها هستم. شماره من 06 12345678 است").text
    assert "[phone]" in question
    code = ask(context, person, question, language="fa", municipality=TILBURG, topic="grief")
    ask(context, citizen(context, 4242), "Ik zoek een maatje voor mijn moeder", language="nl",
        municipality=TILBURG, topic="caregiving")
    log_in(page, dashboard, "tilburg")
    expect(page.get_by_role("heading", name="Anonieme vragen")).to_be_visible()
    cell = page.locator("p.citizen[lang=fa]")
    expect(cell).to_have_attribute("dir", "rtl")
    expect(cell).to_contain_text("[phone]")
    expect(page.locator("main")).not_to_contain_text("12345678")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if context.database.url.startswith("sqlite"):
        page.screenshot(path=str(SCREENSHOTS / "queue.png"), full_page=True)

    page.get_by_role("link", name=code).click()
    page.get_by_label("Hier is een groep voor je").check()
    page.locator("input[name=service_id]").first.check()
    page.get_by_label(re.compile("Je eigen woorden")).fill("Tot dinsdag!")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Je antwoord staat klaar")
    expect(page.locator(".badge").first).to_have_text("Beantwoord")
    with context.database.session() as session:
        [delivery] = outbox.due(session, context)
    assert delivery.chat_id == person.chat_id
    assert Translator("fa").gettext("Here is a group that may suit you:") in delivery.reply.text
    assert "Tot dinsdag!" in delivery.reply.text


def test_a_post_without_csrf_token_is_refused(page: Page, dashboard: str, context) -> None:
    code = ask(context, citizen(context), "سلام")
    log_in(page, dashboard, "tilburg")
    expect(page.get_by_role("heading", name="Anonieme vragen")).to_be_visible()
    response = page.request.post(f"{dashboard}/requests/{code}/answer",
                                 form={"template": "looking_into_it"})
    assert response.status == 403
    forged = page.request.post(f"{dashboard}/requests/{code}/answer",
                               form={"template": "looking_into_it", "csrf_token": "x" * 43})
    assert forged.status == 403
    with context.database.session() as session:
        assert outbox.due(session, context) == []


def test_five_wrong_passwords_lock_the_login(page: Page, dashboard: str) -> None:
    for _ in range(4):
        log_in(page, dashboard, "admin", "not the password")
        expect(page.get_by_role("alert")).to_have_text("Onjuiste gebruikersnaam of wachtwoord.")
    log_in(page, dashboard, "admin", "not the password")
    expect(page.get_by_role("alert")).to_contain_text("Te veel mislukte pogingen")
    log_in(page, dashboard, "admin")  # the right password, but locked for a while
    expect(page.get_by_role("alert")).to_contain_text("Te veel mislukte pogingen")
    assert page.url.endswith("/login")


def test_a_coordinator_cannot_see_another_organisations_requests(
        page: Page, dashboard: str, context) -> None:
    mine = ask(context, citizen(context), "در تیلبورگ", municipality=TILBURG)
    theirs = ask(context, citizen(context, 777), "in Utrecht", language="nl", municipality=UTRECHT)
    log_in(page, dashboard, "tilburg")
    expect(page.get_by_role("link", name=mine)).to_be_visible()
    expect(page.get_by_role("link", name=theirs)).to_have_count(0)
    response = page.goto(f"{dashboard}/requests/{theirs}")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("in Utrecht")


def test_statistics_page_with_charts(page: Page, dashboard: str, context) -> None:
    from datetime import timedelta

    now = context.clock()
    plan = [("grief", "fa", 12, 3), ("loneliness", "tr", 9, 6), ("caregiving", "nl", 15, 2),
            ("newcomer", "ar", 7, 8), ("parenting", "tr", 4, 1)]
    with context.database.session() as session:
        for week in range(6):
            moment = now - timedelta(weeks=week)
            for topic, language, found, empty in plan:
                for event, times in ((Event.SEARCH, found + week), (Event.SEARCH_EMPTY, empty),
                                     (Event.REQUEST, 2 + week)):
                    for _ in range(times):
                        count(session, event, topic=topic, language=language,
                              municipality_code=TILBURG, now=moment)
            for _ in range(3 if week % 2 else 6):  # small weeks must show as "<5"
                count(session, Event.CRISIS_SHOWN, language="fa", now=moment)
        for grade, times in ((8, 7), (6, 5), (3, 2), (10, 6)):
            session.add(FeedbackTally(week=iso_week(now), source="request", topic="grief",
                                      language="fa", municipality_code=TILBURG, measure="grade",
                                      value=str(grade), count=times))
        session.add(FeedbackTally(week=iso_week(now), source="request", topic="grief",
                                  language="fa", municipality_code=TILBURG, measure="reason",
                                  value="went", count=9))
    log_in(page, dashboard, "admin")
    page.goto(f"{dashboard}/statistics?weeks=6&group=topic&group=language")
    expect(page.get_by_role("heading", name="Statistiek")).to_be_visible()
    expect(page.locator("td[data-event=search_empty]").first).to_be_visible()
    expect(page.locator("td[data-grade='3']")).to_have_text("<5")
    images = page.locator("figure img")
    expect(images).to_have_count(4)
    for index in range(4):
        loaded = images.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded
    if context.database.url.startswith("sqlite"):
        page.screenshot(path=str(Path(SCREENSHOTS) / "statistics.png"), full_page=True)
    page.goto(f"{dashboard}/statistics/missing?weeks=6")
    expect(page.locator("tbody tr").first).to_contain_text("Nieuw in Nederland")
