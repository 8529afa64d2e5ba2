"""An NLU replica for the fault tests: Rasa's ``/model/parse`` on a loopback port, which the
test can hold, crash, freeze and start again on the same port.

What it understands is the bot's own keyword understanding (``local_nlu``) with a confident
score, so a conversation through it looks like one through Rasa and an answer from it carries
no "I understand less" notice; the behaviour under test is failover, not understanding (the
real Rasa is tested end to end in tests/e2e).

* ``hold()``: requests wait (in flight) until ``release()``: a test kills the replica while
  turns are in flight, not between them;
* ``crash()``: as SIGKILL would: the port closes and every open connection is reset;
* ``freeze()``: as a hung process or host would: connections are accepted, nothing is ever
  answered (the client's time-out is the only way out);
* ``start()`` again: back on the same port (the URL the bot was configured with).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from bot.conversation import local_nlu
from bot.directory.gazetteer import Gazetteer

#: How sure the replica says it is (above every threshold the dialogue uses).
CONFIDENCE = 0.95


def parse_answer(text: str) -> dict[str, object]:
    """What Rasa's ``/model/parse`` would answer for ``text`` (keywords standing in for the
    model)."""
    nlu = local_nlu.understand(text, "nl", Gazetteer.bundled())
    intent = nlu.intent if nlu.intent != "out_of_scope" else "nlu_fallback"
    confidence = CONFIDENCE if intent != "nlu_fallback" else 0.3
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": [{"entity": k, "value": v} for k, v in nlu.entities],
    }


@dataclass
class NluReplica:
    """One replica; ``texts`` are the texts it received (answered or not), in order."""

    port: int = 0
    texts: list[str] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _handlers: set[RequestHandler] = field(default_factory=set)
    _open: asyncio.Event = field(default_factory=asyncio.Event)  # set: requests are answered
    _frozen: bool = False
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)
    _waiting: int = 0

    @property
    def url(self) -> str:
        """The replica's base URL (the same across restarts)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def up(self) -> bool:
        """Whether it listens."""
        return self._server is not None

    async def start(self) -> NluReplica:
        """Listen (again) on the replica's port, answering at once."""
        self._frozen = False
        self._open.set()
        protocol = web.Server(self._parse, handler_cancellation=True)

        def connection() -> RequestHandler:
            handler = protocol()
            self._handlers.add(handler)
            return handler

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(connection, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def hold(self) -> None:
        """Requests from now on wait, in flight, until :meth:`release` (or a crash)."""
        self._open.clear()

    def release(self) -> None:
        """Answer the held requests and every later one at once."""
        self._open.set()

    def freeze(self) -> None:
        """Hang: accept every request and never answer it."""
        self._frozen = True
        self._open.clear()

    async def crash(self) -> None:
        """Die as a killed process does: the port closes, every connection is reset."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for handler in list(self._handlers):
            transport = handler.transport
            if transport is not None:
                transport.abort()
        self._handlers.clear()
        self._frozen = False
        self._open.set()  # a held request of a dead process has no one left to answer it

    async def wait_in_flight(self, count: int, timeout: float = 30.0) -> None:
        """Until ``count`` requests are waiting in the replica (held or frozen)."""
        async with self._arrived:
            async with asyncio.timeout(timeout):
                await self._arrived.wait_for(lambda: self._waiting >= count)

    async def _parse(self, request: web.BaseRequest) -> web.StreamResponse:
        text = str((await request.json())["text"])
        self.texts.append(text)
        async with self._arrived:
            self._waiting += 1
            self._arrived.notify_all()
        try:
            await self._open.wait()
            if self._frozen:
                # Never answers: the handler is cancelled when the client gives up and
                # closes the connection (handler_cancellation), or when the replica crashes.
                await asyncio.Event().wait()
        finally:
            self._waiting -= 1
        return web.json_response(parse_answer(text))

    async def close(self) -> None:
        """Stop for good (end of the test)."""
        with contextlib.suppress(Exception):
            await self.crash()
