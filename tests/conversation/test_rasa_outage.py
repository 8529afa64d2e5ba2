"""When Rasa fails, the bot answers in degraded mode and stops waiting on Rasa for a while."""

from __future__ import annotations

from aiohttp import web

from bot.context import AppContext
from bot.conversation.pipeline import Citizen, Pipeline
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
