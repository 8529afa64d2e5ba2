"""Accounts and security of the dashboard: CSRF, login lockout, cookies, scope, audit."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from web.dashboard_helpers import TILBURG, UTRECHT, ask, citizen, csrf_of, login

from bot.audit.models import AuditEvent
from bot.staff import service as staff
from bot.web.app import create_app


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(client, context) -> None:
    code = ask(context, citizen(context), "سلام")
    assert login(client, "tilburg").status_code == 303
    page = client.get(f"/requests/{code}")
    form = {"template": "looking_into_it", "service_id": "", "own_words": ""}
    assert client.post(f"/requests/{code}/answer", data=form).status_code == 403
    bad = client.post(f"/requests/{code}/answer", data={**form, "csrf_token": "forged"})
    assert bad.status_code == 403
    good = client.post(f"/requests/{code}/answer", data={**form, "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)
    assert good.status_code == 303
    # The login form is protected too (before there is a session).
    client.cookies.clear()
    refused = client.post("/login", data={"username": "tilburg", "password": "x"})
    assert refused.status_code == 403


def test_five_wrong_passwords_lock_the_login_for_a_while(client, context) -> None:
    for _ in range(4):
        assert login(client, "tilburg", "wrong password!!").status_code == 401
    fifth = login(client, "tilburg", "wrong password!!")
    assert fifth.status_code == 429
    # Locked: even the right password is refused now.
    locked = login(client, "tilburg")
    assert locked.status_code == 429
    assert "Te veel mislukte pogingen" in locked.text
    with context.database.session() as session:
        actions = session.scalars(select(AuditEvent.action)
                                  .where(AuditEvent.target == "user:tilburg")).all()
    assert "login.lockout" in actions
    # After the lockout time has passed the right password works again.
    later = context.clock() + timedelta(minutes=16)
    context.clock = lambda: later
    assert login(client, "tilburg").status_code == 303


def test_the_lockout_also_holds_per_source_across_usernames(client, context) -> None:
    # Each name stays under its own limit; the address as a whole does not.
    for number in range(context.settings.web_login_source_max_failures):
        login(client, f"nobody{number}", "guess guess guess")
    assert login(client, "admin").status_code == 429


def test_session_cookie_is_httponly_samesite_and_secure_when_configured(context) -> None:
    context.settings.web_secure_cookies = True
    with TestClient(create_app(context), base_url="https://127.0.0.1") as secure_client:
        response = login(secure_client, "admin")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie


def test_a_coordinator_cannot_see_another_organisations_requests(client, context) -> None:
    person = citizen(context)
    tilburg_code = ask(context, person, "در تیلبورگ تنها هستم", municipality=TILBURG)
    utrecht_code = ask(context, person, "ik zoek een groep in Utrecht", language="nl",
                       municipality=UTRECHT)
    nowhere_code = ask(context, person, "online graag", language="nl", municipality=None)
    login(client, "tilburg")
    queue = client.get("/requests").text
    assert tilburg_code in queue and utrecht_code not in queue and nowhere_code not in queue
    assert client.get(f"/requests/{utrecht_code}").status_code == 404
    csrf = csrf_of(client.get(f"/requests/{tilburg_code}").text)
    answer = client.post(f"/requests/{utrecht_code}/answer", data={
        "template": "looking_into_it", "csrf_token": csrf})
    assert answer.status_code == 404
    # Utrecht's coordinator serves nationally too: sees Utrecht and the unplaced request.
    client.cookies.clear()
    login(client, "utrecht")
    queue = client.get("/requests").text
    assert utrecht_code in queue and nowhere_code in queue and tilburg_code not in queue
    client.cookies.clear()
    login(client, "admin")
    queue = client.get("/requests").text
    assert all(code in queue for code in (tilburg_code, utrecht_code, nowhere_code))


def test_coordinators_manage_only_their_own_organisations_services(client, context) -> None:
    login(client, "tilburg")
    listing = client.get("/directory").text
    assert "Tilburg" in listing and "Utrecht" not in listing


def test_only_admins_read_the_audit_log_and_actions_are_in_it(client, context) -> None:
    code = ask(context, citizen(context), "سلام")
    login(client, "tilburg")
    csrf = csrf_of(client.get(f"/requests/{code}").text)
    client.post(f"/requests/{code}/answer", data={"template": "looking_into_it",
                                                  "csrf_token": csrf})
    assert client.get("/audit").status_code == 403
    client.cookies.clear()
    login(client, "admin")
    page = client.get("/audit").text
    assert "request.answer" in page and f"request:{code}" in page and "request.view" in page


def test_disabling_an_account_ends_its_session(client, context) -> None:
    login(client, "tilburg")
    assert client.get("/requests", follow_redirects=False).status_code == 200
    with context.database.session() as session:
        staff.disable_user(session, "tilburg")
    assert client.get("/requests", follow_redirects=False).headers["location"] == "/login"
    assert login(client, "tilburg").status_code == 401
