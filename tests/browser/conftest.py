"""Real headless Chromium (the system's, through Playwright) against the dashboard served by
uvicorn on a free port, in this process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dashboard_browser import browser, serve_dashboard  # noqa: F401 - fixture
from playwright.sync_api import Browser, Page
from web.dashboard_helpers import make_context, seed

from bot.context import AppContext


@pytest.fixture
def context(database) -> AppContext:
    """A seeded context (demo directory, admin and two coordinators)."""
    ctx = make_context(database)
    seed(ctx)
    return ctx


@pytest.fixture
def dashboard(context: AppContext) -> Iterator[str]:
    """The dashboard's base URL."""
    server, url = serve_dashboard(context)
    yield url
    server.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811 - the imported fixture
    """A fresh browser context and page (own cookies)."""
    browser_context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = browser_context.new_page()
    page.set_default_timeout(15_000)
    yield page
    browser_context.close()
