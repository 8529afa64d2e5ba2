"""The whole way round: a citizen asks in Farsi through the real bot (fake Telegram, real Rasa),
a coordinator answers in the dashboard in real Chromium, and the Farsi answer arrives."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from dashboard_browser import browser, serve_dashboard  # noqa: F401 - fixture
from fakes.telegram_api import ThreadedFakeTelegram
from playwright.sync_api import Browser, expect

from bot.context import AppContext
from bot.i18n.catalogs import Translator
from bot.settings import load_settings
from bot.staff import service as staff

pytestmark = pytest.mark.rasa

PASSWORD = "e2e dashboard password"
CODE = re.compile(r"[A-HJ-NP-Z2-9]{2}-[A-HJ-NP-Z2-9]{3}")
USER_ID = 7_900_001


@pytest.fixture(scope="module")
def dashboard(stack) -> Iterator[str]:
    """The dashboard on the stack's database, with the bot's encryption key (stack.env)."""
    context = AppContext.from_settings(load_settings(**{
        key.removeprefix("STEUNWIJZER_").lower(): value for key, value in stack.env.items()}))
    with context.database.session() as session:
        if staff.get_user(session, "e2e-admin") is None:
            staff.add_user(session, username="e2e-admin", password=PASSWORD, role="admin")
    server, url = serve_dashboard(context)
    yield url
    server.stop()


def test_a_farsi_question_is_answered_in_the_dashboard_and_arrives_in_farsi(
        tg: ThreadedFakeTelegram, dashboard: str, browser: Browser) -> None:  # noqa: F811
    fa = Translator("fa").gettext
    user = tg.user(USER_ID, language_code="fa", first_name="Anon")
    tg.send_command(user, "/start")
    [welcome] = tg.wait_for_messages(user, count=1, timeout=30)
    tg.press_button(user, welcome, "o:human")
    [prompt] = tg.wait_for_messages(user, count=1, timeout=30)
    assert fa("Write your question in one message. Leave out your name, address and phone "
              "number; I will remove them anyway.") in prompt.plain_text
    tg.send_text(user, "سلام، خیلی تنها هستم و دنبال یک گروه هستم. شماره من 0612345678 است")
    [confirm] = tg.wait_for_messages(user, count=1, timeout=30)
    assert "[phone]" in confirm.plain_text and "0612345678" not in confirm.plain_text
    tg.press_button(user, confirm, "o:send_question")
    [stored] = tg.wait_for_messages(user, count=1, timeout=30)
    code = CODE.search(stored.plain_text).group(0)  # type: ignore[union-attr]

    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{dashboard}/login")
    page.get_by_label("Gebruikersnaam").fill("e2e-admin")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    row = page.locator("tr", has=page.get_by_role("link", name=code))
    question = row.locator("p.citizen")
    expect(question).to_have_attribute("lang", "fa")
    expect(question).to_have_attribute("dir", "rtl")
    expect(question).to_contain_text("[phone]")
    expect(page.locator("main")).not_to_contain_text("0612345678")
    page.get_by_role("link", name=code).click()
    page.get_by_label("Hier is een groep voor je").check()
    page.locator("input[name=service_id]").first.check()
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Je antwoord staat klaar")
    # A POST without the CSRF token is refused, also against the live stack.
    refused = page.request.post(f"{dashboard}/requests/{code}/answer",
                                form={"template": "looking_into_it"})
    assert refused.status == 403
    page.context.close()

    [answer] = tg.wait_for_messages(user, count=1, timeout=30)
    assert fa("Here is a group that may suit you:") in answer.plain_text
    assert fa("The coordinator does not know who you are.") in answer.plain_text
    assert code in answer.plain_text
    values = {data for row in answer.buttons for _, data in row}
    assert f"o:reply:{code}" in values and f"o:withdraw:{code}" in values
    # The citizen replies in the same thread.
    tg.press_button(user, answer, f"o:reply:{code}")
    [ask_reply] = tg.wait_for_messages(user, count=1, timeout=30)
    assert code in ask_reply.plain_text
    tg.assert_no_rejected()
