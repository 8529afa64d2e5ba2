"""People understood in one breath, through Telegram (the fake Bot API), the real bot process
and the real NLU service, in all four languages (issue 12's conversations).

A story with a place and a wish goes straight to groups there; a place said before is not
asked again when the wish comes later in words; a language change mid-conversation is
followed. Every assertion is about what the person sees.
"""

from __future__ import annotations

from itertools import count

import pytest
from fakes.telegram_api import SentMessage, ThreadedFakeTelegram
from one_breath import A_GROUP, CARING, LANGUAGES, ONE_BREATH

from bot.i18n.catalogs import Translator

pytestmark = pytest.mark.rasa

_user_ids = count(7_400_001)



def _(language: str, msgid: str) -> str:
    return Translator(language).gettext(msgid)


def new_user(tg: ThreadedFakeTelegram, language: str):
    # No Telegram language: the bot must find the language in the words.
    return tg.user(next(_user_ids), language_code=None, first_name="Anon")


def until_results(tg: ThreadedFakeTelegram, user) -> list[SentMessage]:
    """Messages until the one with the buttons under the results ("another topic")."""
    received: list[SentMessage] = []
    while True:
        [message] = tg.wait_for_messages(user, count=1, timeout=30)
        received.append(message)
        if any(d == "o:another_topic" for row in message.buttons for _, d in row):
            return received


def asked_where(language: str, messages: list[SentMessage]) -> bool:
    question = _(language, "In which municipality do you live?").split("?")[0]
    return any(question in m.plain_text for m in messages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_story_with_a_place_and_a_wish_goes_straight_to_groups_there(
    tg: ThreadedFakeTelegram, language: str
) -> None:
    user = new_user(tg, language)
    tg.send_text(user, ONE_BREATH[language])
    results = until_results(tg, user)
    assert not asked_where(language, results)
    assert "Tilburg" in results[0].plain_text
    assert any(m.buttons and "g:" in str(m.buttons) for m in results[1:]), "no group shown"
    tg.assert_no_rejected()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wish_in_words_later_uses_the_place_said_before(
    tg: ThreadedFakeTelegram, language: str
) -> None:
    user = new_user(tg, language)
    tg.send_text(user, CARING[language])
    [ack] = tg.wait_for_messages(user, count=1, timeout=30)
    assert _(language, "What would help you most?") in ack.plain_text
    tg.send_text(user, A_GROUP[language])
    results = until_results(tg, user)
    assert not asked_where(language, results)
    assert "Amsterdam" in results[0].plain_text
    tg.assert_no_rejected()


def test_finglish_after_a_caregiving_story_is_answered_in_farsi(tg: ThreadedFakeTelegram) -> None:
    user = new_user(tg, "fa")
    tg.send_text(user, "Annem alzheimer hastası ve ben çok yoruldum.")
    tg.wait_for_messages(user, count=1, timeout=30)
    tg.send_text(user, "salam, man az afghanistan hastam, tanha hastam")
    messages = tg.wait_for_messages(user, count=1, timeout=30)
    # Persian in Latin letters is answered in Persian script, not in the Turkish of before.
    letters = [c for c in messages[0].plain_text if c.isalpha()]
    persian = [c for c in letters if "\u0600" <= c <= "\u06ff"]
    assert len(persian) > len(letters) / 2, messages[0].plain_text
