"""Helpers for dashboard tests: a seeded context, accounts, logging in, reading forms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.testclient import TestClient

from bot.context import AppContext
from bot.db.session import Database
from bot.directory.formats import import_demo
from bot.directory.records import stable_id
from bot.privacy.pseudonym import pseudonym_for
from bot.privacy.sealed import generate_key
from bot.requests import service as requests
from bot.settings import Settings
from bot.staff import service as staff

PASSWORD = "correct horse battery staple"
TILBURG = "GM0855"
UTRECHT = "GM0344"
TILBURG_ORG = stable_id("demo-organisation", "welzijn", "tilburg")
UTRECHT_ORG = stable_id("demo-organisation", "welzijn", "utrecht")
PSEUDONYM_SECRET = "test-pseudonym-secret"
# A test citizen's Telegram identity; none of these may ever appear on a page or in a CSV.
CITIZEN_USER_ID = 918273645
CITIZEN_CHAT_ID = 918273645


@dataclass(frozen=True)
class Citizen:
    """The identifiers of a test citizen."""

    user_id: int
    chat_id: int
    pseudonym: str


def make_context(database: Database) -> AppContext:
    """A context for ``database`` with real secrets."""
    settings = Settings(database_url=database.url, encryption_key=generate_key(),
                        pseudonym_secret=PSEUDONYM_SECRET, web_login_max_failures=5,
                        web_login_lockout_minutes=15)
    return AppContext(settings=settings, database=database)


def seed(context: AppContext) -> None:
    """The demo directory and three accounts: an admin and coordinators in Tilburg and Utrecht."""
    with context.database.session() as session:
        report = import_demo(session, now=context.clock())
        assert report.ok, report.summary()
        staff.add_user(session, username="admin", password=PASSWORD, role="admin")
        staff.add_user(session, username="tilburg", password=PASSWORD, role="coordinator",
                       organisation_id=TILBURG_ORG, municipality_codes=[TILBURG])
        staff.add_user(session, username="utrecht", password=PASSWORD, role="coordinator",
                       organisation_id=UTRECHT_ORG, municipality_codes=[UTRECHT], national=True)


def citizen(context: AppContext, user_id: int = CITIZEN_USER_ID) -> Citizen:
    """A citizen's identifiers as the bot would derive them."""
    return Citizen(user_id, user_id, pseudonym_for(user_id, PSEUDONYM_SECRET))


def ask(context: AppContext, who: Citizen, text: str, *, language: str = "fa",
        municipality: str | None = TILBURG, topic: str | None = "loneliness") -> str:
    """Store a request as the bot does after the citizen confirmed; returns its code."""
    assert context.sealer is not None
    token = context.sealer.seal(who.chat_id, "chat")
    with context.database.session() as session:
        request = requests.create_request(
            session, context, pseudonym=who.pseudonym, text=text, topic=topic,
            language=language, municipality_code=municipality, chat_token=token)
        return request.code


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token in a page's form."""
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD):
    """Log in through the form; returns the response (a redirect when it worked)."""
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)
