"""A limit on the size of every request body, enforced while it is read.

The body is only counted as the application reads it, so a route that refuses a visitor
first (not logged in, wrong CSRF token) never reads an oversized upload at all. A body that
announces more than the limit in ``Content-Length``, or turns out to be longer while it
streams in (chunked uploads have no length), makes the read raise :class:`BodyTooLarge`, an
``HTTPException(413)`` that the app renders as a page saying how much may be sent.

(FastAPI's own ``max_body_size`` would answer every oversize request with a plain-text 413
that replaces the page, in English and without the limit; this one leaves the answer to the
app's error page.)
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """The request body is larger than the dashboard accepts (HTTP 413)."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="request body too large")


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware: reading more than ``max_bytes`` of a request body raises
    :class:`BodyTooLarge` inside the application, where its exception handler answers."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a receive channel that counts the body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        received = 0

        async def limited() -> Message:
            nonlocal received
            # Refuse an announced oversize body before taking a single chunk of it.
            if declared is not None and declared > self.max_bytes:
                raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited, send)
