"""The dashboard application factory: ``create_app(context)``.

Routes are split by area (``bot/web/routes``); they only parse the form, call the service
layer and render; errors become pages in one place (``bot/web/errors.py``). Public
iCalendar feeds of the facilitators module are mounted under ``/feeds/`` when that module is
installed.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape

from bot.context import AppContext
from bot.settings import load_settings
from bot.staff.throttle import ThrottlePolicy
from bot.web import errors
from bot.web.limits import BodyLimit
from bot.web.routes import audit, auth, directory, facilitators, requests, statistics

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
HSTS_SECONDS = 365 * 24 * 3600


def _templates() -> Environment:
    env = Environment(loader=PackageLoader("bot.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    return env


def _facilitators_available() -> bool:
    return importlib.util.find_spec("bot.facilitators.membership") is not None


def _mount_feeds(app: FastAPI) -> None:
    """Mount the public iCalendar feeds of issue 4 when its module exists."""
    if importlib.util.find_spec("bot.facilitators.http") is None:
        return
    from bot.facilitators import http as feeds

    router = getattr(feeds, "router", None)
    if router is not None:
        app.include_router(router, prefix="/feeds")
        return
    routes = getattr(feeds, "routes", None)
    if routes:
        from starlette.routing import Mount

        app.router.routes.append(Mount("/feeds", routes=list(routes)))


def create_app(context: AppContext) -> FastAPI:
    """A dashboard for ``context``'s database."""
    settings = context.settings
    app = FastAPI(title="Steunwijzer dashboard", docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.context = context
    app.state.templates = _templates()
    app.state.throttle_policy = ThrottlePolicy.from_settings(settings)
    app.state.facilitators_enabled = _facilitators_available()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, requests, directory, statistics, audit):
        app.include_router(module.router)
    if app.state.facilitators_enabled:
        app.include_router(facilitators.router)
    _mount_feeds(app)

    errors.install(app)

    # Added before the header middleware, so it sits inside it: the limit's error is raised
    # in the route itself, where the HTTPException handler turns it into the 413 page (the
    # header middleware would wrap it in an ExceptionGroup).
    app.add_middleware(BodyLimit, max_bytes=int(settings.web_max_upload_mb * 1024 * 1024))

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        # No framing, no sniffing, no referrer leaking request codes to other sites.
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'")
        if settings.web_secure_cookies:
            # Behind TLS: browsers must never fall back to plain HTTP, where the session cookie
            # could be taken (a year; not includeSubDomains, the domain may serve other sites).
            response.headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}")
        return response

    @app.get("/healthz", response_class=HTMLResponse, include_in_schema=False)
    def healthz() -> str:
        return "ok"

    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory bot.web.app:app_from_environment``."""
    from bot.runtime.logging_setup import configure_logging

    settings = load_settings()
    configure_logging(settings, "web")  # the one logging set-up, as `steunwijzer web` has
    # The dashboard needs no key or token (docs/security.md, "Keys"): it gets none.
    return create_app(AppContext.from_settings(settings.without_secrets()))
