"""Request plumbing shared by the dashboard routes: who is logged in, CSRF, the database
session, rendering.

Sessions are server-side (:class:`~bot.staff.models.StaffSession`); the cookie holds only a
random token and is HttpOnly, SameSite=Lax and Secure when ``web_secure_cookies`` is set. A
session ends after ``web_session_hours`` or ``web_session_idle_minutes`` without use.
Every POST must carry the session's CSRF token (or, before login, the token of the login
cookie) in a ``csrf_token`` form field; anything else is refused with 403.

Routes declare what they need as ``Annotated`` parameters: ``member: LoggedIn`` (or ``Admin``,
or ``Posted`` for a POST with its CSRF token checked), ``form: PostedForm`` and
``session: DbSession``. A route that does database work is a plain ``def``: FastAPI runs it in
its thread pool, never on the event loop, with one session per request, committed before the
response goes out and rolled back when the route raises. Routes raise the typed errors of
``bot/errors.py``; ``bot/web/errors.py`` turns them into pages.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from bot.context import AppContext
from bot.errors import NotAllowed
from bot.staff import service as staff
from bot.staff.scope import Scope
from bot.web.i18n import UiText, text_direction, ui_language

SESSION_COOKIE = "sw_session"
LOGIN_CSRF_COOKIE = "sw_login_csrf"


class LoginRequired(Exception):
    """Raised by :func:`current_staff` when nobody is logged in; handled as a redirect."""


@dataclass(frozen=True)
class Staff:
    """The logged-in staff member as routes see them."""

    scope: Scope
    csrf_token: str
    ui: UiText

    @property
    def username(self) -> str:
        """The account name (shown in the header and written to the audit log)."""
        return self.scope.username


def app_context(request: Request) -> AppContext:
    """The application context the app was created with."""
    return request.app.state.context


def ui_text(request: Request) -> UiText:
    """The interface language of this request, and the configured time zone."""
    return UiText(ui_language(request), app_context(request).settings.zone)


def current_staff(request: Request) -> Staff:
    """The logged-in staff member, or :class:`LoginRequired`."""
    context = app_context(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    idle = timedelta(minutes=context.settings.web_session_idle_minutes)
    member: tuple[Scope, str] | None = None
    with context.database.session() as session:
        found = staff.session_user(session, token, now=context.clock(), idle=idle)
        if found is not None:
            user, row = found
            member = (Scope.of(user), row.csrf_token)
    # Raised after the block, so that deleting a session that ran out is committed.
    if member is None:
        raise LoginRequired()
    return Staff(*member, ui_text(request))


LoggedIn = Annotated[Staff, Depends(current_staff)]


def require_admin(member: LoggedIn) -> Staff:
    """Only admins pass."""
    if not member.scope.is_admin:
        raise NotAllowed()
    return member


Admin = Annotated[Staff, Depends(require_admin)]


async def _form_token(request: Request) -> str:
    form = await request.form()  # Starlette caches the parsed form for the handler
    value = form.get("csrf_token")
    return value if isinstance(value, str) else ""


async def csrf_protected(request: Request, member: LoggedIn) -> Staff:
    """A logged-in POST with the session's CSRF token; else 403."""
    if not secrets.compare_digest(await _form_token(request), member.csrf_token):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong")
    return member


Posted = Annotated[Staff, Depends(csrf_protected)]


async def posted_form(request: Request, _member: Posted) -> FormData:
    """The form of a logged-in POST, read (on the event loop: it is I/O) only once the login
    and the CSRF token were checked; parsed once per request (Starlette caches it)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def db_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: committed when the route returns, before the response
    is sent; rolled back when it raises (the exception then goes on to the app's handlers)."""
    with app_context(request).database.session() as session:
        yield session


# scope="function": the session ends with the route, so the commit precedes the response
# (a redirect after a POST must find what the POST wrote).
DbSession = Annotated[Session, Depends(db_session, scope="function")]


async def login_csrf_protected(request: Request) -> None:
    """The login POST must echo the token of its (pre-login) cookie; else 403."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(await _form_token(request), expected):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong")


def client_source(request: Request) -> str:
    """The source address the login throttle counts (behind a TLS proxy, uvicorn takes it
    from X-Forwarded-For, see bot/web/server.py)."""
    return request.client.host if request.client else "unknown"


def render(request: Request, template: str, *, ui: UiText, status_code: int = 200,
           member: Staff | None = None, **values: Any) -> HTMLResponse:
    """Render a page with the translation and formatting helpers every template uses."""
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(
        request=request, ui=ui, _=ui.gettext, member=member, dir_of=text_direction,
        facilitators_enabled=request.app.state.facilitators_enabled, **values,
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def set_cookie(response: Response, request: Request, name: str, value: str, *,
               max_age: int | None = None) -> None:
    """Set a cookie with the dashboard's security flags."""
    context = app_context(request)
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=context.settings.web_secure_cookies, path="/")
