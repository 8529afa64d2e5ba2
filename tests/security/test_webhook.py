"""Forged updates in webhook mode (issue 13 finding 1).

The attacker: anyone who can reach the webhook URL (it faces the internet, behind the TLS
proxy). Without a secret they could post an update with a victim's ``from.id`` and their own
``chat.id`` and read the victim's groups and last search in their own chat. Telegram sends
the webhook secret (setWebhook's ``secret_token``) in ``X-Telegram-Bot-Api-Secret-Token``
with every update; the bot's webhook server (bot/channels/webhook_server.py) refuses (403) any
request without it, before reading it, and will not start in webhook mode without one.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fakes.telegram_api import WEBHOOK_SECRET_HEADER, FakeTelegram
from telegram_harness import webhook_worker

from bot import cli
from bot.channels.telegram_app import webhook_arguments
from bot.channels.webhook_server import WebhookWorker
from bot.db.session import Database
from bot.privacy.sealed import generate_key
from bot.settings import Settings, SettingsError, load_settings

VICTIM, ATTACKER, BYSTANDER = 7_001_001, 7_001_666, 7_001_002
SECRET = secrets.token_urlsafe(32)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


def webhook_bot(tg: FakeTelegram,
                database: Database) -> AbstractAsyncContextManager[WebhookWorker]:
    """The bot in webhook mode on a free loopback port, as ``steunwijzer bot`` runs it."""
    return webhook_worker(tg, database, webhook_secret=SECRET)


def forged(text: str) -> dict[str, Any]:
    """The attacker's update: the victim's user id, the attacker's own chat."""
    return {
        "update_id": 990_001,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "from": {"id": VICTIM, "is_bot": False, "first_name": "V", "language_code": "nl"},
            "chat": {"id": ATTACKER, "type": "private", "first_name": "A"},
            "text": text,
        },
    }


async def test_a_forged_update_without_the_right_secret_gets_403_and_no_answer(
    tg: FakeTelegram, sqlite_database: Database
) -> None:
    async with webhook_bot(tg, sqlite_database):
        assert tg.webhook is not None and tg.webhook["secret_token"] == SECRET
        # The victim uses the bot through Telegram, which sends the secret: answered.
        victim = tg.user(VICTIM)
        await tg.send_command(victim, "/start")
        assert await tg.wait_for_messages(victim)

        wrong_same_shape = SECRET[:-1] + ("A" if SECRET[-1] != "A" else "B")
        async with httpx.AsyncClient(timeout=10) as client:
            answers = [
                await client.post(tg.webhook["url"], json=forged(text), headers=headers)
                for text, headers in [
                    ("/reminders", {}),
                    ("/reminders", {WEBHOOK_SECRET_HEADER: ""}),
                    ("/reminders", {WEBHOOK_SECRET_HEADER: secrets.token_urlsafe(32)}),
                    ("welke groepen had ik?", {WEBHOOK_SECRET_HEADER: wrong_same_shape}),
                ]
            ]
        assert [a.status_code for a in answers] == [403, 403, 403, 403]

        # The bot goes on serving real updates: a bystander's message is answered ...
        bystander = tg.user(BYSTANDER)
        await tg.send_text(bystander, "hallo")
        assert await tg.wait_for_messages(bystander)
        # ... and it never wrote to the attacker's chat.
        assert [c for c in tg.calls() if c.params.get("chat_id") == ATTACKER] == []
        # Every real delivery (with the secret) was taken: 200.
        assert [status for _, status in tg.webhook_deliveries] == [200, 200]


async def test_what_reaches_the_webhook_never_reaches_the_log(
    tg: FakeTelegram, sqlite_database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The library logs every update it receives (debug), the secret a forger guessed, and
    the whole body of an update it cannot read (critical): none of that may be written."""
    caplog.set_level(logging.DEBUG)
    guess = secrets.token_urlsafe(32)
    async with webhook_bot(tg, sqlite_database):
        person = tg.user(BYSTANDER)
        await tg.send_text(person, "hallo, ik ben Zwaantje Pietersma")
        assert await tg.wait_for_messages(person)
        url = tg.webhook["url"] if tg.webhook else ""
        async with httpx.AsyncClient(timeout=10) as client:
            wrong = await client.post(url, json=forged("hoi"), headers={
                WEBHOOK_SECRET_HEADER: guess})
            # With the secret, as Telegram would send an update this library cannot read.
            unreadable = await client.post(url, json={"update_id": 7, "message": {
                "message_id": 1, "text": "Zwaantje Pietersma, Kerkstraat 12"}},
                headers={WEBHOOK_SECRET_HEADER: SECRET})
    assert (wrong.status_code, unreadable.status_code) == (403, 400)
    lines = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    assert not [line for line in lines if "Zwaantje" in line or guess in line or SECRET in line]
    assert any("could not read an update from Telegram" in line for line in lines)


def test_webhook_mode_needs_a_secret() -> None:
    settings = Settings(telegram_token="123:abc", pseudonym_secret=secrets.token_urlsafe(32),
                        encryption_key=generate_key(), webhook_url="https://bot.example.org/tg")
    with pytest.raises(SettingsError, match="STEUNWIJZER_WEBHOOK_SECRET is required"):
        settings.require_telegram()
    with pytest.raises(SettingsError, match="STEUNWIJZER_WEBHOOK_SECRET"):
        webhook_arguments(settings)  # what run_telegram asks for before anything starts


def test_the_bot_refuses_to_start_in_webhook_mode_without_a_secret(tmp_path) -> None:
    env = {
        "STEUNWIJZER_DATA_DIR": str(tmp_path),
        "STEUNWIJZER_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STEUNWIJZER_TELEGRAM_TOKEN": "123:abc",
        "STEUNWIJZER_PSEUDONYM_SECRET": secrets.token_urlsafe(32),
        "STEUNWIJZER_ENCRYPTION_KEY": generate_key(),
        "STEUNWIJZER_WEBHOOK_URL": "https://bot.example.org/tg",
        "STEUNWIJZER_WEBHOOK_SECRET": "",
    }
    result = CliRunner().invoke(cli.main, ["bot"], env=env)
    assert result.exit_code != 0
    assert "STEUNWIJZER_WEBHOOK_SECRET is required when STEUNWIJZER_WEBHOOK_URL is set" in (
        result.output)


@pytest.mark.parametrize("secret", [
    "too-short",
    "a" * 40,  # long, but one character: guessable
    "x" * 20 + "!" + secrets.token_urlsafe(20),  # a character Telegram does not allow
    secrets.token_urlsafe(200),  # over 256 characters
])
def test_a_weak_or_malformed_secret_stops_start_up(secret: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(webhook_secret=secret)
    message = str(refused.value)
    assert "STEUNWIJZER_WEBHOOK_SECRET" in message and "32-256 characters" in message
    assert secret not in message  # the message never repeats the secret
