"""A stand-in NLU replica speaking Rasa's ``/model/parse`` protocol, for the client's failover
and the core's outage behaviour (what the real Rasa understands is tested end to end).

It knows a handful of phrases, given by each test; anything else is ``nlu_fallback``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class FakeNlu:
    """One replica: ``meanings`` maps a text to (intent, entities); ``up`` switches it."""

    meanings: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    token: str = "t0ken"
    up: bool = True
    texts: list[str] = field(default_factory=list)
    url: str = ""
    #: When set, every parse waits for it (a slow NLU service, released by the test).
    gate: asyncio.Event | None = None
    #: Every text as it arrives, for a test that waits until a request is in.
    arrivals: asyncio.Queue[str] = field(default_factory=asyncio.Queue)

    async def _parse(self, request: web.Request) -> web.Response:
        if request.query.get("token") != self.token:
            return web.json_response({"message": "unauthorized"}, status=401)
        if not self.up:
            return web.Response(status=503)
        text = (await request.json())["text"]
        self.texts.append(text)
        self.arrivals.put_nowait(text)
        if self.gate is not None:
            await self.gate.wait()
        intent, entities = self.meanings.get(text, ("nlu_fallback", {}))
        return web.json_response(
            {
                "text": text,
                "intent": {"name": intent, "confidence": 0.93},
                "intent_ranking": [{"name": intent, "confidence": 0.93}],
                "entities": [{"entity": k, "value": v} for k, v in entities.items()],
            }
        )

    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeNlu]:
        """Serve on a free loopback port for the duration of the block."""
        app = web.Application()
        app.router.add_post("/model/parse", self._parse)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        try:
            yield self
        finally:
            await runner.cleanup()
