"""The one place the dashboard turns errors into pages.

Routes and services raise the typed errors of ``bot/errors.py`` and never compare exception
texts; :func:`install` maps them, HTTP errors and unexpected failures onto the error page in
the interface language: not found 404, not allowed 403, conflict 409, refused 422 (the last
two with their reason), anything else 500 (logged by the server, type and place only).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from bot.errors import Conflict, DomainError, NotAllowed, NotFound, Refused
from bot.web.deps import LoginRequired, app_context, render, ui_text

log = logging.getLogger(__name__)

#: Status of each typed error; the first that matches wins (a subclass may be two kinds).
STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404), (NotAllowed, 403), (Conflict, 409), (Refused, 422),
)
#: Errors whose message is a reason for the reader (shown on the page, translated).
SHOWS_REASON = (Conflict, Refused)


def status_of(error: DomainError) -> int:
    """The HTTP status of a typed error (422 for one of no known kind)."""
    return next((code for kind, code in STATUS if isinstance(error, kind)), 422)


def error_page(request: Request, code: int, reason: str | None = None) -> Response:
    """The error page for ``code`` in the interface language, with an optional reason."""
    limit_mb = f"{app_context(request).settings.web_max_upload_mb:g}"
    return render(request, "error.html", ui=ui_text(request), status_code=code, code=code,
                  reason=reason, limit_mb=limit_mb)


def install(app: FastAPI) -> None:
    """Register the handlers: login redirect, typed errors, HTTP errors, the rest."""

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        reason = None
        if isinstance(exc, SHOWS_REASON) and exc.message:
            reason = ui_text(request).gettext(exc.message, **exc.values)
        return error_page(request, status_of(exc), reason)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        return error_page(request, exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # The server logs the exception itself once this returns (its text withheld by the
        # log formatter); the page says only that something went wrong.
        try:
            return error_page(request, 500)
        except Exception as failure:  # a broken template must not hide the first error
            log.warning("error page not shown: %s", type(failure).__name__)
            return PlainTextResponse("500", status_code=500)
