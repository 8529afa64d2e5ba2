"""The shared vocabulary: one reading of Telegram's language hint, used the same everywhere,
and language names from Babel.

A Persian or Dari app may report "pes", "prs" or "fa-AF" instead of "fa": the citizen core,
the facilitators' dialogue, the group-chat answer and language detection all answer such a
person in Farsi, exactly as they answer one whose app says "fa".
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from fakes.telegram_api import FakeTelegram
from security.telegram_harness import webhook_worker

from bot.context import AppContext
from bot.conversation.pipeline import Citizen, Pipeline
from bot.db.session import Database
from bot.dialogue import render
from bot.facilitators.dialogue import FacilitatorDialogue
from bot.language.detect import detect_language
from bot.privacy.sealed import generate_key
from bot.settings import Settings
from bot.vocabulary import ALL_LANGUAGES, language_from_hint, language_name

FARSI_HINTS = ("pes", "prs", "fa-AF", "fa-IR", "PRS", "fa_AF")


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("tr-TR", "tr"), ("fa-IR", "fa"), ("fa-AF", "fa"), ("pes", "fa"), ("prs", "fa"),
        ("ar-MA", "ar"), ("ar", "ar"), ("nl-BE", "nl"), ("nl_BE", "nl"), ("en-US", "en"),
        ("FA", "fa"), (" tr ", "tr"),
        ("de", None), ("ku", None), ("zz-ZZ", None), ("", None), (None, None),
    ],
)
def test_a_telegram_hint_names_one_of_our_languages_or_none(
    code: str | None, language: str | None
) -> None:
    assert language_from_hint(code) == language


def test_languages_are_named_in_their_own_words_and_in_the_readers() -> None:
    assert [language_name(code) for code in ALL_LANGUAGES] == [
        "Nederlands", "Türkçe", "فارسی", "العربية", "English"
    ]
    assert language_name("tr", "nl") == "Turks"
    assert language_name("fa", "tr") == "Farsça"
    assert language_name("so") == "Soomaali"  # a language of a group, not one we speak
    assert language_name("fa", "de") == "Persian"  # a reader we do not speak reads English
    assert language_name("xx") == "xx"


def test_the_language_menu_shows_each_language_in_its_own_name() -> None:
    [reply] = render.language_menu("nl")
    assert [row[0].label for row in reply.buttons] == [
        "Nederlands", "Türkçe", "فارسی", "العربية", "English"
    ]


@pytest.mark.parametrize("hint", FARSI_HINTS)
def test_detection_falls_back_on_a_farsi_hint(hint: str) -> None:
    # "ok" says nothing about its language: the app's language decides.
    assert detect_language("ok", telegram_hint=hint) == "fa"
    assert detect_language("ok", telegram_hint="nl") == "nl"


@pytest.fixture
def context(database: Database) -> AppContext:
    settings = Settings(pseudonym_secret="vocabulary-test", encryption_key=generate_key())
    return AppContext(settings, database)


async def test_the_citizen_core_greets_a_farsi_app_in_farsi(context: AppContext) -> None:
    pipeline = Pipeline(context, nlu=None)
    farsi = await pipeline.handle_command(Citizen("vocab-fa", telegram_language="fa"), "start")
    dutch = await pipeline.handle_command(Citizen("vocab-nl", telegram_language="nl"), "start")
    assert [r.text for r in farsi.replies] != [r.text for r in dutch.replies]
    for hint in FARSI_HINTS:
        got = await pipeline.handle_command(Citizen(f"vocab-{hint}", telegram_language=hint),
                                            "start")
        assert got.language == "fa", hint
        assert [r.text for r in got.replies] == [r.text for r in farsi.replies], hint


async def test_the_facilitator_dialogue_answers_a_farsi_app_in_farsi(context: AppContext) -> None:
    dialogue = FacilitatorDialogue(context)
    # Not a facilitator: the answer says so, in the language of their app.
    farsi = await dialogue.command(Citizen("vocab-f-fa", telegram_language="fa"), "mygroups")
    dutch = await dialogue.command(Citizen("vocab-f-nl", telegram_language="nl"), "mygroups")
    assert [r.text for r in farsi.replies] != [r.text for r in dutch.replies]
    for hint in FARSI_HINTS:
        got = await dialogue.command(Citizen(f"vocab-f-{hint}", telegram_language=hint),
                                     "mygroups")
        assert got.language == "fa", hint
        assert [r.text for r in got.replies] == [r.text for r in farsi.replies], hint


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def test_a_group_chat_is_answered_in_the_language_of_the_app(
    tg: FakeTelegram, sqlite_database: Database
) -> None:
    async with webhook_worker(tg, sqlite_database, webhook_secret=secrets.token_urlsafe(32)):
        link = f"https://t.me/{tg.bot_username}"
        for number, hint in enumerate((*FARSI_HINTS, "ar-MA", "tr-TR", "de"), start=1):
            group = tg.group_chat(-100_700 - number, "Buurtgroep")
            person = tg.user(7_400_000 + number, language_code=hint)
            await tg.send_text_in_group(person, group, "hallo bot")
            [answer] = await tg.wait_for_messages(group)
            expected = language_from_hint(hint) or "nl"
            assert answer.text == render.group_chat(expected, link), hint
