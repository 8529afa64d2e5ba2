"""When Rasa fails, the bot answers in degraded mode and stops waiting on Rasa for a while."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.context import AppContext
from bot.conversation.pipeline import RASA_SLOW_TURNS_BEFORE_PAUSE, Citizen, Pipeline
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


async def test_one_slow_turn_does_not_pause_rasa_for_everyone(sqlite_database) -> None:
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
        results = []
        for citizen in citizens[:RASA_SLOW_TURNS_BEFORE_PAUSE]:
            results.append(await pipeline.handle_text(citizen, "ik voel me zo alleen"))
        # Each slow turn was still answered (degraded), and each one tried Rasa.
        assert all(r.degraded and r.replies for r in results)
        assert len(hits) == RASA_SLOW_TURNS_BEFORE_PAUSE
        # Only after that many slow turns in a row does everyone skip Rasa for a while.
        later = await pipeline.handle_text(citizens[-1], "ik voel me zo alleen")
        assert later.degraded and len(hits) == RASA_SLOW_TURNS_BEFORE_PAUSE
    finally:
        never.set()
        await rasa.close()
        await runner.cleanup()
