"""The fake Telegram Bot API, driven by the real python-telegram-bot library and by raw HTTP.

No sleeps: every wait is on the fake's condition variable or on an HTTP answer.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fakes.telegram_api import (
    BOT_USERNAME,
    EntityParseError,
    FakeTelegram,
    parse_html,
)
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

TOKEN = "123:TEST"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """A running fake in the test's event loop."""
    async with FakeTelegram() as fake:
        yield fake


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        f"<b>Echo:</b> {update.effective_message.text}",
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("Ja", callback_data="yes")],
                [
                    InlineKeyboardButton("Nee", callback_data="no"),
                    InlineKeyboardButton("Site", url="https://example.org"),
                ],
            ]
        ),
    )


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_chat_action(update.effective_chat.id, "typing")
    payload = ",".join(context.args or [])
    await context.bot.send_message(update.effective_chat.id, f"start:{payload}")


async def _button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("ok")
    await query.edit_message_text(f"Gekozen: {query.data}")


async def _ics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", filename="afspraak.ics"),
        caption="Agenda",
    )


@pytest.fixture
async def app(tg: FakeTelegram) -> AsyncIterator[Application]:
    """A real PTB application polling the fake, with echo, /start, /ics and a button handler."""
    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(tg.api_base_url)
        .base_file_url(tg.file_base_url)
        .build()
    )
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(CommandHandler("ics", _ics))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    application.add_handler(CallbackQueryHandler(_button))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=10)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


# --------------------------------------------------------------------------- with the real PTB


async def test_echo_and_button_round_trip(tg: FakeTelegram, app: Application) -> None:
    user = tg.user(1001, first_name="Anna")
    await tg.send_text(user, "hallo & welkom")
    [reply] = await tg.wait_for_messages(user)
    assert reply.text == "<b>Echo:</b> hallo & welkom"
    assert reply.plain_text == "Echo: hallo & welkom"
    assert reply.parse_mode == "HTML"
    assert reply.buttons == [[("Ja", "yes")], [("Nee", "no"), ("Site", "https://example.org")]]
    assert reply.button("ja") == "yes"
    assert reply.message["entities"] == [{"type": "bold", "offset": 0, "length": 5}]

    await tg.press_button(user, reply, reply.button("Nee"))
    edit = await tg.wait_for_call("editMessageText")
    assert edit.ok and edit.params["text"] == "Gekozen: no"
    assert tg.sent(user)[0].text == "Gekozen: no"  # edited in place
    assert tg.sent(user)[0].buttons == []
    assert tg.callback_answers()[0]["text"] == "ok"
    assert tg.unanswered_callback_queries() == []
    assert tg.rejected == []


async def test_command_payload_chat_action_and_get_me(tg: FakeTelegram, app: Application) -> None:
    user = tg.user(1002, language_code="ar")
    await tg.send_command(user, "/start", payload="groep_42")
    [reply] = await tg.wait_for_messages(user)
    assert reply.text == "start:groep_42"
    assert tg.chat_actions(user) == ["typing"]
    assert app.bot.username == BOT_USERNAME
    assert [c.method for c in tg.calls()][:2] == ["getMe", "deleteWebhook"]
    assert tg.rejected == []


async def test_send_document_keeps_bytes_and_filename(tg: FakeTelegram, app: Application) -> None:
    user = tg.user(1003)
    await tg.send_command(user, "ics")
    [doc] = await tg.wait_for_messages(user)
    assert doc.method == "sendDocument"
    assert doc.document is not None
    assert doc.document.filename == "afspraak.ics"
    assert doc.document.data.startswith(b"BEGIN:VCALENDAR")
    assert doc.text == "Agenda"
    assert tg.calls("sendDocument")[0].encoding == "multipart"


async def test_commands_and_descriptions_per_language(tg: FakeTelegram, app: Application) -> None:
    bot = app.bot
    await bot.set_my_commands(
        [("start", "Begin"), ("privacy", "Wat we bewaren")], language_code="nl"
    )
    await bot.set_my_commands([("start", "Start")])
    await bot.set_my_description("Anonieme wegwijzer", language_code="nl")
    await bot.set_my_short_description("Wegwijzer", language_code="nl")
    await bot.set_my_name("Steunwijzer")
    assert [c["command"] for c in tg.commands("nl")] == ["start", "privacy"]
    assert tg.commands() == [{"command": "start", "description": "Start"}]
    fetched = await bot.get_my_commands(language_code="nl")
    assert [c.command for c in fetched] == ["start", "privacy"]
    assert tg.descriptions["description"] == {"nl": "Anonieme wegwijzer"}
    assert tg.descriptions["short_description"] == {"nl": "Wegwijzer"}
    assert tg.descriptions["name"] == {"": "Steunwijzer"}
    assert (await bot.get_my_description(language_code="nl")).description == "Anonieme wegwijzer"
    assert tg.rejected == []


async def test_ptb_sees_telegram_errors(tg: FakeTelegram, app: Application) -> None:
    from telegram.error import BadRequest, Forbidden

    user = tg.user(1004)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await app.bot.send_message(user.id, "<b>open", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await app.bot.send_message(999_999, "wie?")
    tg.block(user)
    with pytest.raises(Forbidden, match="blocked"):
        await app.bot.send_message(user.id, "hallo")
    assert [c.status for c in tg.rejected] == [400, 400]  # 403 is a simulated condition


async def test_user_updates_of_other_kinds_reach_ptb(tg: FakeTelegram) -> None:
    seen: list[str] = []
    done = asyncio.Event()

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        kinds = ("text", "sticker", "photo", "voice", "document", "location")
        kind = next(k for k in kinds if getattr(message, k))
        if update.edited_message:
            kind = f"edited:{message.text}"
        seen.append(kind)
        if len(seen) == 7:
            done.set()

    application = Application.builder().token(TOKEN).base_url(tg.api_base_url).build()
    application.add_handler(MessageHandler(filters.ALL, record))
    user = tg.user(1005)
    first = await tg.send_text(user, "origineel")
    await tg.send_sticker(user)
    await tg.send_photo(user, caption="foto")
    await tg.send_voice(user)
    await tg.send_document(user, "brief.pdf", b"%PDF")
    await tg.send_location(user, 52.37, 4.89)
    await tg.edit_text(user, first["message"]["message_id"], "bewerkt")
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=10)
        await asyncio.wait_for(done.wait(), 10)
        await application.updater.stop()
        await application.stop()
    assert seen == ["text", "sticker", "photo", "voice", "document", "location", "edited:bewerkt"]


# --------------------------------------------------------------------------- raw HTTP


_CLIENT: dict[str, httpx.AsyncClient] = {}


@pytest.fixture(autouse=True)
async def _http_client() -> AsyncIterator[None]:
    """One HTTP client per test for the raw calls (creating one per call is slow)."""
    async with httpx.AsyncClient(timeout=30) as client:
        _CLIENT["client"] = client
        yield
        del _CLIENT["client"]


async def _post(tg: FakeTelegram, method: str, **kwargs: object) -> httpx.Response:
    """POST to the fake as a bot would, bypassing PTB (to send what PTB never would)."""
    url = f"{tg.api_base_url}{TOKEN}/{method}"
    return await _CLIENT["client"].post(url, **kwargs)  # type: ignore[arg-type]


async def test_missing_required_field_is_rejected(tg: FakeTelegram) -> None:
    response = await _post(tg, "sendMessage", json={"text": "zonder chat"})
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["error_code"] == 400
    assert body["description"].startswith("Bad Request:") and "chat_id" in body["description"]
    assert len(tg.rejected) == 1 and tg.rejected[0].method == "sendMessage"


async def test_unknown_method_is_404_like_telegram(tg: FakeTelegram) -> None:
    response = await _post(tg, "sendTelepathy", json={})
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method sendTelepathy",
    }


async def test_unknown_field_and_bad_types_are_rejected(tg: FakeTelegram) -> None:
    user = tg.user(7)
    unknown = await _post(tg, "sendMessage", json={"chat_id": user.id, "text": "x", "txt": "y"})
    assert unknown.status_code == 400 and '"txt"' in unknown.json()["description"]
    wrong = await _post(tg, "sendMessage", json={"chat_id": [1], "text": "x"})
    assert wrong.status_code == 400 and "chat_id" in wrong.json()["description"]
    flag = await _post(
        tg, "sendMessage", json={"chat_id": user.id, "text": "x", "disable_notification": "maybe"}
    )
    assert flag.status_code == 400
    assert len(tg.rejected) == 3


async def test_text_length_after_entity_parsing(tg: FakeTelegram) -> None:
    user = tg.user(8)
    too_long = await _post(tg, "sendMessage", json={"chat_id": user.id, "text": "a" * 4097})
    assert too_long.status_code == 400 and "too long" in too_long.json()["description"]
    # 4096 characters of text plus tags and an entity: fine after parsing.
    ok = await _post(
        tg,
        "sendMessage",
        json={
            "chat_id": user.id,
            "text": "<b>" + "a" * 4091 + "&amp;</b>" + "bcde",
            "parse_mode": "HTML",
        },
    )
    assert ok.status_code == 200, ok.text
    empty = await _post(
        tg, "sendMessage", json={"chat_id": user.id, "text": "<b> </b>", "parse_mode": "HTML"}
    )
    assert empty.status_code == 400 and "empty" in empty.json()["description"]


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold",
        "<b><i>x</b></i>",
        "<div>x</div>",
        "a < b",
        '<span class="x">s</span>',
        "<b>x</b></b>",
        '<a href="https://x.nl>x</a>',
    ],
)
async def test_invalid_html_is_rejected(tg: FakeTelegram, text: str) -> None:
    user = tg.user(9)
    response = await _post(
        tg, "sendMessage", json={"chat_id": user.id, "text": text, "parse_mode": "HTML"}
    )
    assert response.status_code == 400
    assert response.json()["description"].startswith("Bad Request: can't parse entities")


def test_html_parser_matches_telegram_rules() -> None:
    plain, entities = parse_html(
        "<b>vet</b> &lt;3 &quot;x&quot; &#128512; &nbsp; "
        '<a href="https://a.nl/?q=1&amp;r=2">link</a> '
        '<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">t</span>'
        '<pre><code class="language-python">p</code></pre><blockquote expandable>q</blockquote>'
    )
    assert plain == 'vet <3 "x" 😀 &nbsp; link stpq'
    kinds = [e["type"] for e in entities]
    assert kinds == ["bold", "text_link", "spoiler", "spoiler", "pre", "expandable_blockquote"]
    assert entities[4]["language"] == "python"
    link = entities[1]
    assert link["url"] == "https://a.nl/?q=1&r=2"
    # offsets are UTF-16 code units: the emoji counts double
    assert link["offset"] == len('vet <3 "x" ') + 2 + len(" &nbsp; ")
    with pytest.raises(EntityParseError, match="Unsupported start tag"):
        parse_html("<br>")


async def test_callback_data_over_64_bytes_is_rejected(tg: FakeTelegram) -> None:
    user = tg.user(10)
    markup = {"inline_keyboard": [[{"text": "Te lang", "callback_data": "x" * 65}]]}
    response = await _post(
        tg, "sendMessage", json={"chat_id": user.id, "text": "kies", "reply_markup": markup}
    )
    assert response.status_code == 400 and "BUTTON_DATA_INVALID" in response.json()["description"]
    # 64 bytes (32 two-byte characters) is the limit and passes, as a form body like PTB's
    markup["inline_keyboard"][0][0]["callback_data"] = "é" * 32
    ok = await _post(
        tg,
        "sendMessage",
        data={"chat_id": str(user.id), "text": "kies", "reply_markup": json.dumps(markup)},
    )
    assert ok.status_code == 200, ok.text
    assert tg.sent(user)[0].buttons == [[("Te lang", "é" * 32)]]


async def test_inline_button_needs_exactly_one_action(tg: FakeTelegram) -> None:
    user = tg.user(11)
    for button in (
        {"text": "Niets"},
        {"text": "Twee", "callback_data": "a", "url": "https://a.nl"},
    ):
        markup = {"inline_keyboard": [[button]]}
        response = await _post(
            tg, "sendMessage", json={"chat_id": user.id, "text": "kies", "reply_markup": markup}
        )
        assert response.status_code == 400, button
    no_label = {"inline_keyboard": [[{"callback_data": "a"}]]}
    missing_text = await _post(
        tg, "sendMessage", json={"chat_id": user.id, "text": "k", "reply_markup": no_label}
    )
    assert missing_text.status_code == 400 and "text" in missing_text.json()["description"]


async def test_bad_token_is_unauthorized(tg: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{tg.api_base_url}not-a-token/getMe")
    assert response.status_code == 401


# --------------------------------------------------------------------------- long polling


async def test_long_poll_returns_promptly_when_an_update_arrives(tg: FakeTelegram) -> None:
    user = tg.user(12)
    async with httpx.AsyncClient(timeout=30) as client:
        started = time.monotonic()
        poll = asyncio.create_task(
            client.post(f"{tg.api_base_url}{TOKEN}/getUpdates", json={"timeout": 20})
        )
        await tg.wait_until(lambda: tg.waiting_polls == 1)  # the poll is waiting
        await tg.send_text(user, "wakker?")
        response = await poll
        elapsed = time.monotonic() - started
    updates = response.json()["result"]
    assert [u["message"]["text"] for u in updates] == ["wakker?"]
    assert elapsed < 2, elapsed


async def test_get_updates_offset_limit_and_short_poll(tg: FakeTelegram) -> None:
    user = tg.user(13)
    for text in ("een", "twee", "drie"):
        await tg.send_text(user, text)
    first = (await _post(tg, "getUpdates", json={"limit": 2, "timeout": 0})).json()["result"]
    assert [u["message"]["text"] for u in first] == ["een", "twee"]
    rest = (await _post(tg, "getUpdates", json={"offset": first[-1]["update_id"] + 1})).json()
    assert [u["message"]["text"] for u in rest["result"]] == ["drie"]
    done = (
        await _post(
            tg,
            "getUpdates",
            data={"offset": str(rest["result"][-1]["update_id"] + 1), "timeout": "0"},
        )
    ).json()
    assert done == {"ok": True, "result": []}
    assert tg.pending_updates == []


async def test_wait_for_messages_times_out_with_a_clear_message(tg: FakeTelegram) -> None:
    user = tg.user(14)
    await _post(tg, "sendMessage", json={"chat_id": user.id, "text": "één"})
    await _post(tg, "sendMessage", json={"chat_id": user.id})
    with pytest.raises(AssertionError) as info:
        await tg.wait_for_messages(user, count=2, timeout=0.05)
    assert "één" in str(info.value) and "rejected calls" in str(info.value)


async def test_press_button_refuses_buttons_that_do_not_exist(tg: FakeTelegram) -> None:
    user = tg.user(15)
    await _post(tg, "sendMessage", json={"chat_id": user.id, "text": "geen knoppen"})
    [message] = await tg.wait_for_messages(user)
    with pytest.raises(AssertionError, match="no button"):
        await tg.press_button(user, message, "yes")


# --------------------------------------------------------------------------- threaded mode


def test_threaded_mode_with_a_sync_client() -> None:
    with FakeTelegram.threaded() as tg:
        user = tg.user(2001)
        tg.send_text(user, "sync")
        with httpx.Client(timeout=10) as client:
            base = f"{tg.api_base_url}{TOKEN}"
            me = client.get(f"{base}/getMe").json()["result"]
            assert me["username"] == BOT_USERNAME and me["is_bot"] is True
            updates = client.post(f"{base}/getUpdates", json={"timeout": 5}).json()["result"]
            assert updates[0]["message"]["text"] == "sync"
            client.post(f"{base}/sendMessage", data={"chat_id": str(user.id), "text": "antwoord"})
        [reply] = tg.wait_for_messages(user, timeout=5)
        assert reply.text == "antwoord"
        assert tg.rejected == []
        assert tg.subprocess_env()["STEUNWIJZER_TELEGRAM_API_BASE_URL"] == tg.api_base_url


_SUBPROCESS_BOT = """
import os
from telegram.ext import Application, MessageHandler, filters

async def echo(update, context):
    await update.effective_message.reply_text("subprocess: " + update.effective_message.text)

app = (
    Application.builder()
    .token(os.environ["STEUNWIJZER_TELEGRAM_TOKEN"])
    .base_url(os.environ["STEUNWIJZER_TELEGRAM_API_BASE_URL"])
    .build()
)
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(poll_interval=0, timeout=10)
"""


def test_bot_in_a_subprocess_against_the_threaded_fake() -> None:
    with FakeTelegram.threaded() as tg:
        env = {**os.environ, **tg.subprocess_env()}
        process = subprocess.Popen(
            [sys.executable, "-c", _SUBPROCESS_BOT],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            user = tg.user(3001)
            tg.send_text(user, "hoi")
            [reply] = tg.wait_for_messages(user, timeout=30)
            assert reply.text == "subprocess: hoi"
        finally:
            process.terminate()  # PTB's run_polling stops cleanly on SIGTERM
            _, stderr = process.communicate(timeout=30)
        assert process.returncode == 0, stderr.decode()
        assert tg.rejected == []
