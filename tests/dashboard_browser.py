"""Shared by the browser and end-to-end tests: the system Chromium (through Playwright) and
the dashboard served by uvicorn on a free port, in this process."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from bot.context import AppContext
from bot.web.server import BackgroundServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """The system Chromium, headless (`make test` installs it when missing).

    Module-scoped on purpose: Playwright's sync API keeps an event loop marked as running in
    this thread while it is started, which would break every asyncio test that runs after it.
    """
    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        message = "system chromium missing (scripts/ensure_chromium.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def serve_dashboard(context: AppContext) -> tuple[BackgroundServer, str]:
    """Start the dashboard on a socket that already listens, so no waiting is needed."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = BackgroundServer(context, sock=sock)
    server.start()
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}"
