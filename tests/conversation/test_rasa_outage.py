"""When Rasa fails, the bot answers in degraded mode and stops waiting on Rasa for a while."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.context import AppContext
from bot.conversation.pipeline import RASA_SLOW_CITIZENS_BEFORE_PAUSE, Citizen, Pipeline
from bot.conversation.rasa_client import RasaClient
from bot.i18n.catalogs import Translator
from bot.settings import Settings


async def test_after_one_failure_citizens_are_answered_without_waiting_for_rasa(
    sqlite_database,
) -> None:
    hits: list[str] = []

    async def broken(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(status=500)

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", broken)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    rasa = RasaClient(f"http://127.0.0.1:{port}", timeout=2)
    try:
        context = AppContext(Settings(pseudonym_secret="x"), sqlite_database)
        pipeline = Pipeline(context, rasa)
        citizen = Citizen(pseudonym="p1", telegram_language="tr")
        notice = Translator("tr").gettext(
            "I understand less than usual right now. The buttons still work."
        )
        first = await pipeline.handle_text(citizen, "merhaba, yalnız hissediyorum")
        second = await pipeline.handle_text(citizen, "merhaba, hala yalnızım")
        assert first.degraded and second.degraded
        assert first.replies[0].text == notice == second.replies[0].text
        assert hits == ["/webhooks/rest/webhook"]  # the second message did not wait on Rasa
    finally:
        await rasa.close()
        await runner.cleanup()


async def _fake_rasa(handler: Callable[[web.Request], Awaitable[web.Response]]) -> web.AppRunner:
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


async def test_slow_turns_pause_rasa_only_when_several_citizens_are_slow(sqlite_database) -> None:
    hits: list[str] = []
    never = asyncio.Event()

    async def busy(request: web.Request) -> web.Response:
        hits.append(request.path)
        await never.wait()  # past the client's timeout: Rasa up but busy
        return web.json_response([])

    runner = await _fake_rasa(busy)
    port = runner.addresses[0][1]
    rasa = RasaClient(f"http://127.0.0.1:{port}", timeout=0.3)
    try:
        context = AppContext(Settings(pseudonym_secret="x"), sqlite_database)
        pipeline = Pipeline(context, rasa)
        citizens = [Citizen(pseudonym=f"p{i}", telegram_language="nl") for i in range(5)]
        # One person's burst: their turns queue behind each other in Rasa and time out, but
        # that says nothing about Rasa's health, so the next citizens still try Rasa.
        burst = [await pipeline.handle_text(citizens[0], "ik voel me zo alleen") for _ in range(4)]
        assert all(r.degraded and r.replies for r in burst)  # each one still answered
        assert len(hits) == 4
        others = [
            await pipeline.handle_text(citizen, "ik voel me zo alleen")
            for citizen in citizens[1:RASA_SLOW_CITIZENS_BEFORE_PAUSE]
        ]
        assert all(r.degraded and r.replies for r in others)
        tried = 4 + RASA_SLOW_CITIZENS_BEFORE_PAUSE - 1
        assert len(hits) == tried
        # Once that many different citizens were slow in a row, everyone skips Rasa for a while.
        later = await pipeline.handle_text(citizens[-1], "ik voel me zo alleen")
        assert later.degraded and len(hits) == tried
    finally:
        never.set()
        await rasa.close()
        await runner.cleanup()
