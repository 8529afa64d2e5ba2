"""Log in (with CSRF and the login throttle), log out, choose the interface language."""

from __future__ import annotations

import secrets
from datetime import timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.staff import service as staff
from bot.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    DbSession,
    Posted,
    app_context,
    client_source,
    login_csrf_protected,
    render,
    set_cookie,
    ui_text,
)
from bot.web.i18n import LANGUAGE_COOKIE, UI_LANGUAGES

router = APIRouter()


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "login.html", ui=ui_text(request), csrf_token=token, error=error,
                      status_code=status_code)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token)
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    """The login page."""
    return _login_page(request)


@router.post("/login", dependencies=[Depends(login_csrf_protected)])
def login(request: Request, session: DbSession, username: str = Form(""),
          password: str = Form("")) -> Response:
    """Check the password, throttled per username at this address and per address.

    Every failure looks the same whether the name exists or not; after too many, the same
    "too many attempts" page for every name (bot/staff/throttle.py).
    """
    context = app_context(request)
    settings = context.settings
    ui = ui_text(request)
    now = context.clock()
    outcome = staff.log_in(session, username, password, source=client_source(request),
                           now=now, policy=request.app.state.throttle_policy)
    token = None
    if outcome.result == staff.LoginResult.OK and outcome.user is not None:
        token, _row = staff.start_session(
            session, outcome.user, now=now,
            lifetime=timedelta(hours=settings.web_session_hours),
            idle=timedelta(minutes=settings.web_session_idle_minutes))
    if outcome.result == staff.LoginResult.LOCKED:
        return _login_page(request, ui.gettext("Too many failed attempts. Try again later."),
                           status_code=429)
    if token is None:
        return _login_page(request, ui.gettext("Wrong username or password."), status_code=401)
    response = RedirectResponse("/", status_code=303)
    set_cookie(response, request, SESSION_COOKIE, token,
               max_age=int(settings.web_session_hours * 3600))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, member: Posted, session: DbSession) -> Response:
    """End the session."""
    staff.end_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/language/{language}")
def choose_language(language: str, request: Request, next: str = "/") -> Response:
    """Switch the interface between Dutch and English (a cookie; nothing on the server)."""
    # Only local paths: never an open redirect.
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    if language in UI_LANGUAGES:
        set_cookie(response, request, LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600)
    return response
