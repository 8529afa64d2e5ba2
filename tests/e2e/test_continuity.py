"""One home for a conversation (architecture.md), through the real bot process, the real NLU
service and the fake Telegram Bot API: a person mid-search keeps their place when the NLU
service goes down and comes back, and when the bot restarts; and after whole journeys no
message text is anywhere under the data folder (database, logs, any file).

This module runs its own bot and its own NLU service, so it can stop them without touching
the bot the other end-to-end modules share.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from fakes.telegram_api import FakeTelegram, SentMessage, ThreadedFakeTelegram

from bot.i18n.catalogs import Translator
from bot.runtime.processes import Child, start_rasa, stop, wait_until
from bot.settings import load_settings

pytestmark = pytest.mark.rasa

_user_ids = count(7_700_001)


@dataclass(frozen=True)
class Words:
    """A person's words in one language: a loss and a wish for a group, then a practical need."""

    language: str
    loss: str
    practical: str


WORDS = [
    Words("nl", "sinds mijn vrouw overleden is zit ik alleen thuis en zoek ik lotgenoten",
          "kan iemand mij helpen met boodschappen doen"),
    Words("tr", "annem vefat ettiğinden beri çok yalnızım, benim gibi insanlarla konuşmak isterim",
          "alışverişte bana yardım edecek bir gönüllü var mı"),
    Words("fa", "از وقتی مادرم فوت کرده خیلی تنهام و دنبال آدم‌هایی مثل خودم هستم",
          "کسی هست که تو خرید کردن کمکم کنه"),
    Words("ar", "منذ وفاة أمي أشعر بالوحدة وأبحث عن أناس مروا بنفس التجربة",
          "هل يوجد متطوع يساعدني في التسوق"),
]
IDS = [w.language for w in WORDS]
#: Every text typed in this module; none may be stored anywhere (checked last).
TYPED: list[str] = []
#: The Telegram user ids of this module's people: no file may hold one.
USER_IDS: list[int] = []


def _new_id() -> int:
    USER_IDS.append(next(_user_ids))
    return USER_IDS[-1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _(language: str, msgid: str) -> str:
    return Translator(language).gettext(msgid)


@dataclass
class Own:
    """This module's NLU service and bot, which the tests stop and start."""

    stack: Any
    tg: ThreadedFakeTelegram
    env: dict[str, str]
    rasa: Child | None = None
    bot: subprocess.Popen[bytes] | None = None

    def start_nlu(self) -> None:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in self.env.items():
                patch.setenv(key, value)
            settings = load_settings()
        self.rasa = start_rasa(settings, self.stack.data_dir / "logs")
        wait_until(f"{settings.nlu_urls[0]}/status", self.rasa, 180,
                   {"token": settings.rasa_token})

    def stop_nlu(self) -> None:
        assert self.rasa is not None
        stop([self.rasa])
        self.rasa = None

    def start_bot(self) -> None:
        self.bot = self.stack.start_bot(self.tg, self.env)

    def restart_bot(self) -> None:
        assert self.bot is not None
        self.stack.stop_bot(self.bot)  # SIGTERM, as a deployment would
        # Messages sent meanwhile wait in the fake Telegram until the new bot polls.
        self.start_bot()


@pytest.fixture(scope="module")
def own(stack) -> Iterator[Own]:
    env = {
        "STEUNWIJZER_RASA_URL": f"http://127.0.0.1:{free_port()}",
        # Ask the NLU service again at once after a failure (in production: 10 s), so the
        # test sees the moment it is back without waiting.
        "STEUNWIJZER_NLU_RETRY_SECONDS": "0",
        "STEUNWIJZER_RASA_TIMEOUT_SECONDS": "20",
    }
    with FakeTelegram.threaded() as fake:
        own = Own(stack, fake, {**stack.env, **env})
        own.start_nlu()
        own.start_bot()
        try:
            yield own
        finally:
            if own.bot is not None:
                stack.stop_bot(own.bot)
            if own.rasa is not None:
                own.stop_nlu()


def _say(own: Own, user, text: str, count: int = 1) -> list[SentMessage]:
    TYPED.append(text)
    own.tg.send_text(user, text)
    return own.tg.wait_for_messages(user, count=count, timeout=60)


def _until_results(own: Own, user) -> list[SentMessage]:
    received: list[SentMessage] = []
    while True:
        [message] = own.tg.wait_for_messages(user, count=1, timeout=60)
        received.append(message)
        if any((d or "").startswith("o:another_topic") for row in message.buttons for _, d in row):
            return received


def _to_place_question(own: Own, user, words: Words) -> SentMessage:
    """Start, tell the loss, choose a group (and a topic if asked): the place is asked."""
    own.tg.send_command(user, "/start")
    own.tg.wait_for_messages(user, count=1, timeout=60)
    [menu] = _say(own, user, words.loss)
    if any(d == "o:peer_group" for row in menu.buttons for _, d in row):
        own.tg.press_button(user, menu, "o:peer_group")
        [menu] = own.tg.wait_for_messages(user, count=1, timeout=60)
    if any((d or "").startswith("t:") for row in menu.buttons for _, d in row):
        own.tg.press_button(user, menu, "t:grief")
        [menu] = own.tg.wait_for_messages(user, count=1, timeout=60)
    assert any(d == "p:online" for row in menu.buttons for _, d in row), menu.plain_text
    return menu


@pytest.mark.parametrize("words", WORDS, ids=IDS)
def test_a_search_continues_across_an_nlu_outage(own: Own, words: Words) -> None:
    language = words.language
    user = own.tg.user(_new_id(), language_code=language, first_name="Anon")
    _to_place_question(own, user, words)

    own.stop_nlu()
    try:
        TYPED.append("Tilburg")
        own.tg.send_text(user, "Tilburg")
        results = _until_results(own, user)
        less = _(language, "I understand less than usual right now. The buttons still work.")
        assert less in results[0].plain_text  # said honestly…
        assert any("Tilburg" in m.plain_text for m in results)  # …and the search went on
    finally:
        own.start_nlu()

    # Back: understood again, and the place is still known (not asked a second time).
    [*answer] = _say(own, user, words.practical)
    answer += _until_results(own, user) if not any(
        (d or "").startswith("o:another_topic") for m in answer for row in m.buttons
        for _, d in row
    ) else []
    assert less not in answer[0].plain_text
    assert not any(d == "p:online" for m in answer for row in m.buttons for _, d in row)
    assert any("Tilburg" in m.plain_text for m in answer)


@pytest.mark.parametrize("words", WORDS, ids=IDS)
def test_a_search_continues_across_a_bot_restart(own: Own, words: Words) -> None:
    user = own.tg.user(_new_id(), language_code=words.language, first_name="Anon")
    _to_place_question(own, user, words)
    own.restart_bot()
    TYPED.append("Rotterdam")
    own.tg.send_text(user, "Rotterdam")
    results = _until_results(own, user)
    assert "Rotterdam" in results[0].plain_text  # the results, in the person's language…
    less = _(words.language, "I understand less than usual right now. The buttons still work.")
    assert less not in results[0].plain_text  # …understood by the NLU service


def _files(folder: Path) -> Iterator[Path]:
    for root, _dirs, names in os.walk(folder):
        for name in names:
            yield Path(root) / name


def test_no_message_text_anywhere_under_the_data_folder(own: Own) -> None:
    # Runs last in this module: every journey above has been typed by now.
    sentences = [t for t in TYPED if len(t) > 20]
    assert len(sentences) >= 8
    # The database is closed by no one here; WAL and journal files are files like any other.
    leaks = []
    for path in _files(own.stack.data_dir):
        data = path.read_bytes()
        for text in sentences:
            # The whole sentence, and a distinctive middle part of it (a log line may cut).
            middle = text[len(text) // 3 : len(text) // 3 + 12]
            for needle in {text, middle}:
                if needle.encode("utf-8") in data:
                    leaks.append((path.name, needle))
        # Nor who they are: their Telegram ids, nor the bot's token (logs included).
        for needle in [*(str(i) for i in USER_IDS), own.tg.token]:
            if needle.encode("utf-8") in data:
                leaks.append((path.name, needle))
    assert len(USER_IDS) >= 8
    assert leaks == []
