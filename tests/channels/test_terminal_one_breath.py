"""The terminal chat hears a person in one breath, as Telegram does (the same core): a story
with a place and a wish goes straight to groups there, and a wish typed later uses the place
said before. No NLU service here: the facts come from the gazetteer and everyday words, so
this is also what the bot does while the NLU service is down."""

from __future__ import annotations

import io

import pytest

from bot.channels.terminal import chat_loop, plain
from bot.context import AppContext
from bot.conversation.pipeline import Pipeline
from bot.directory.formats import import_demo
from bot.i18n.catalogs import Translator
from bot.settings import Settings


def _(language: str, msgid: str, **values: str) -> str:
    return plain(Translator(language).gettext(msgid, **values))


async def chat(database, language: str, *lines: str) -> str:
    with database.session() as session:
        assert import_demo(session).ok
    context = AppContext(Settings(pseudonym_secret="terminal-test"), database)
    out = io.StringIO()
    await chat_loop(Pipeline(context, None), io.StringIO("\n".join(lines) + "\n"), out, language)
    return out.getvalue()


async def test_a_story_with_a_place_and_a_wish_in_the_terminal(sqlite_database) -> None:
    screen = await chat(
        sqlite_database,
        "nl",
        "Hallo, mijn vrouw is vorig jaar overleden aan kanker en sindsdien zit ik alleen thuis "
        "in Tilburg. Bestaat er zoiets als een groep voor weduwnaars?",
    )
    assert _("nl", "This is what I found for you near {place}:", place="Tilburg") in screen
    assert _("nl", "In which municipality do you live?").split("?")[0] not in screen


@pytest.mark.parametrize(
    ("language", "story", "wish"),
    [
        ("fa", "سلام. مادرم آلزایمر داره و من خیلی خسته شدم. تو آمستردام زندگی می‌کنم",
         "یه گروه می‌خوام"),
        ("ar", "امي عندها الزهايمر وانا تعبانة كتير. انا ساكنة في دن هاخ.", "بدي مجموعة"),
    ],
)
async def test_a_wish_typed_later_uses_the_place_said_before_in_the_terminal(
    sqlite_database, language: str, story: str, wish: str
) -> None:
    screen = await chat(sqlite_database, language, story, wish)
    assert _(language, "What would help you most?") in screen
    assert _(language, "In which municipality do you live?").split("?")[0] not in screen
    found = _(language, "This is what I found for you near {place}:", place="PLACE")
    assert found.split("PLACE")[0] in screen
