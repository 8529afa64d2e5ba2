"""Serve the dashboard with uvicorn: in the foreground (``steunwijzer web``) or in a
background thread beside the bot (``steunwijzer run``)."""

from __future__ import annotations

import socket
import threading

import uvicorn

from bot.context import AppContext
from bot.web.app import create_app


def _config(context: AppContext, host: str | None, port: int | None) -> uvicorn.Config:
    settings = context.settings
    # Access logs only show paths (request codes, never citizens); kept at warning to stay quiet.
    # log_config=None: uvicorn's lines go through the process's one logging set-up
    # (bot/runtime/logging_setup/: redacted, into the rotated log file), not its own handlers.
    return uvicorn.Config(create_app(context), host=host or settings.web_host,
                          port=port or settings.web_port, log_level="warning",
                          log_config=None, access_log=False,
                          proxy_headers=settings.web_secure_cookies,
                          ws="none")  # no websockets: the dashboard is plain HTTP forms


def serve(context: AppContext, host: str | None = None, port: int | None = None) -> None:
    """Run the dashboard until interrupted."""
    uvicorn.Server(_config(context, host, port)).run()


class BackgroundServer:
    """The dashboard in a daemon thread, so the bot (or terminal chat) keeps the foreground."""

    def __init__(self, context: AppContext, host: str | None = None,
                 port: int | None = None, sock: socket.socket | None = None) -> None:
        # uvicorn installs no signal handlers outside the main thread: Ctrl+C stays the bot's.
        self.server = uvicorn.Server(_config(context, host, port))
        # A socket that already listens (tests) accepts connections before the thread runs.
        kwargs = {"sockets": [sock]} if sock is not None else {}
        self.thread = threading.Thread(target=self.server.run, kwargs=kwargs, name="dashboard",
                                       daemon=True)

    def start(self) -> None:
        """Start serving."""
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
