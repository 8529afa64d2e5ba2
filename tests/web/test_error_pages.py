"""Typed errors (bot/errors.py) become pages in one place (bot/web/errors.py): not found 404,
not allowed 403, conflict 409 and refused 422 with their reason, anything else 500; each in
the interface language (Dutch first, English second), never with an exception's text."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web.dashboard_helpers import TILBURG_ORG, ask, citizen, csrf_of, login

from bot.directory.models import Organisation, Service
from bot.i18n.catalogs import Translator
from bot.web.app import create_app
from bot.web.i18n import LANGUAGE_COOKIE

LANGUAGES = ["nl", "en"]
NOT_FOUND = "Not found."
NOT_ALLOWED = "You may not do this, or the form was too old. Reload the page and try again."
NO_LONGER_OPEN = "This request is no longer open."
NO_FILE = "Choose a file to import."
WENT_WRONG = "Something went wrong."
SECRET = "ZEBRA-4471 0612345678"


def said(language: str, msgid: str) -> str:
    """``msgid`` as the page shows it in ``language`` (Dutch must really be Dutch)."""
    text = Translator(language).gettext(msgid)
    assert language == "en" or text != msgid, f"{msgid!r} is not translated into {language}"
    return text


def as_staff(client: TestClient, username: str, language: str) -> None:
    login(client, username)
    client.cookies.set(LANGUAGE_COOKIE, language)


def assert_page(response, status: int, language: str, msgid: str) -> None:
    assert response.status_code == status, response.text
    assert f'<html lang="{language}">' in response.text
    assert said(language, msgid) in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_is_not_there_or_out_of_scope_is_a_404_page(client, context, language) -> None:
    with context.database.session() as session:
        other = session.scalar(select(Service.id).where(Service.organisation_id != TILBURG_ORG))
    utrecht_code = ask(context, citizen(context), "ik zoek een groep", language="nl",
                       municipality="GM0344")
    as_staff(client, "tilburg", language)
    for path in (f"/directory/services/{other}", "/directory/services/no-such-service",
                 f"/requests/{utrecht_code}", "/requests/ZZ-ZZZ", "/directory/export.xml"):
        assert_page(client.get(path), 404, language, NOT_FOUND)


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_only_an_admin_may_do_is_a_403_page(client, context, language) -> None:
    as_staff(client, "tilburg", language)
    assert_page(client.get("/audit"), 403, language, NOT_ALLOWED)
    csrf = csrf_of(client.get("/directory/import").text)
    with context.database.session() as session:
        before = session.scalar(select(func.count()).select_from(Organisation))
    created = client.post("/directory/organisations/new", data={
        "csrf_token": csrf, "name": "Nieuwe organisatie", "description": "x"})
    assert_page(created, 403, language, NOT_ALLOWED)
    with context.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_that_ended_meanwhile_is_a_409_page_saying_so(client, context,
                                                                  language) -> None:
    code = ask(context, citizen(context), "سلام")
    as_staff(client, "tilburg", language)
    csrf = csrf_of(client.get(f"/requests/{code}").text)
    closed = client.post(f"/requests/{code}/close", data={"csrf_token": csrf},
                         follow_redirects=False)
    assert closed.status_code == 303
    again = client.post(f"/requests/{code}/close", data={"csrf_token": csrf})
    assert_page(again, 409, language, NO_LONGER_OPEN)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_form_is_a_422_page_with_the_reason(client, language) -> None:
    as_staff(client, "admin", language)
    csrf = csrf_of(client.get("/directory/import").text)
    response = client.post("/directory/import", data={"csrf_token": csrf})  # no file
    assert_page(response, 422, language, NO_FILE)


def test_an_incomplete_answer_shows_the_request_again_with_the_reason(client, context) -> None:
    code = ask(context, citizen(context), "سلام")
    as_staff(client, "tilburg", "nl")
    csrf = csrf_of(client.get(f"/requests/{code}").text)
    page = client.post(f"/requests/{code}/answer", data={"csrf_token": csrf,
                                                         "template": "group"})
    assert page.status_code == 200 and code in page.text
    assert said("nl", "Choose a directory entry for this template.") in page.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unexpected_failure_is_a_500_page_without_its_text(context, language) -> None:
    app = create_app(context)

    def broken() -> None:
        raise RuntimeError(SECRET)

    app.add_api_route("/broken", broken)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        client.cookies.set(LANGUAGE_COOKIE, language)
        response = client.get("/broken")
    assert_page(response, 500, language, WENT_WRONG)
    assert SECRET not in response.text and "RuntimeError" not in response.text
