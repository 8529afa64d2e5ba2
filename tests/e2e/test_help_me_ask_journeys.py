"""Help me ask, end to end: the real bot and the real NLU service behind the fake Telegram, in
all four languages, from each of the three ways in (the options after a disclosure, the
results of a search for practical help, a typed request). What the person sees: the questions
in their language, the draft as a message of its own, a Dutch copy or a shorter version on
request, and nothing of their choices kept afterwards."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import count

import pytest
from fakes.telegram_api import SentMessage, ThreadedFakeTelegram
from sqlalchemy import select

from bot.conversation.models import ConversationState
from bot.i18n.catalogs import Translator
from bot.network.choices import DraftSpec, Style, What, When, Who
from bot.network.draft import draft_text
from bot.privacy.pseudonym import pseudonym_for
from bot.stats.models import StatCounter

pytestmark = pytest.mark.rasa

_user_ids = count(7_300_001)


@dataclass(frozen=True)
class Words:
    """How a person writing in one language might say things."""

    language: str
    disclosure: str
    practical: str  # asks for help with the shopping
    request: str  # "how do I ask my neighbour"
    what: str  # "the shopping", typed as the answer to "what for?"


WORDS = [
    Words(
        "nl",
        "sinds mijn man overleden is voel ik me heel eenzaam",
        "ik zoek iemand die me kan helpen met de boodschappen",
        "hoe vraag ik mijn buurvrouw om hulp?",
        "met de boodschappen",
    ),
    Words(
        "tr",
        "esimi kaybettim cok yalniz hissediyorum",
        "alisveriste bana yardim edecek biri var mi",
        "komşuma nasıl sorarım",
        "alışverişte yardım",
    ),
    Words(
        "fa",
        "از وقتی همسرم فوت کرده خیلی تنها هستم",
        "کسی هست که تو خرید کردن کمکم کنه",
        "چطور از همسایه‌ام بخواهم",
        "برای خرید کردن",
    ),
    Words(
        "ar",
        "منذ وفاة زوجي اشعر بالوحدة كثيرا",
        "بدي حدا يساعدني بالتسوق",
        "كيف أطلب من جاري",
        "مساعدة في التسوق",
    ),
]
IDS = [w.language for w in WORDS]


def _(language: str, msgid: str) -> str:
    return Translator(language).gettext(msgid)


def new_user(tg: ThreadedFakeTelegram, language: str):
    return tg.user(next(_user_ids), language_code=language, first_name="Anon")


def data_of(message: SentMessage) -> list[str]:
    return [d or "" for row in message.buttons for _, d in row]


def one(tg: ThreadedFakeTelegram, user) -> SentMessage:
    [message] = tg.wait_for_messages(user, count=1, timeout=30)
    return message


def until_buttons(tg: ThreadedFakeTelegram, user, has: str) -> list[SentMessage]:
    """Collect messages until one carries a button whose callback data starts with ``has``."""
    received: list[SentMessage] = []
    while True:
        received.append(one(tg, user))
        if any(d.startswith(has) for d in data_of(received[-1])):
            return received


def asks(message: SentMessage, code: str) -> bool:
    """Whether ``message`` is the question answered by buttons ``code:…`` (nw, na, nt)."""
    return any(d.startswith(code + ":") for d in data_of(message))


def press(tg: ThreadedFakeTelegram, user, message: SentMessage, data: str) -> None:
    assert data in data_of(message), f"no button {data!r} in {data_of(message)}"
    tg.press_button(user, message, data)


def check_draft(tg: ThreadedFakeTelegram, user, spec: DraftSpec, language: str) -> SentMessage:
    """The intro, the draft on its own, the options; then a Dutch copy (or, for a Dutch
    reader, a shorter version) from the buttons. Returns the last options message."""
    intro, draft, options = until_buttons(tg, user, "nd:")
    forward = _(language, "If you forward it instead, they will see that it comes from {bot}.")
    assert forward.split("{bot}")[0] in intro.plain_text
    assert draft.plain_text == draft_text(spec, language)
    assert not draft.buttons  # nothing under the draft: it can be copied or forwarded as is
    if language == "nl":
        press(tg, user, options, "nd:" + spec.with_style(Style.SHORTER).encode())
        header, shorter, options = until_buttons(tg, user, "nd:")
        assert header.plain_text == _(language, "A shorter version:")
        assert shorter.plain_text == draft_text(spec.with_style(Style.SHORTER), "nl")
    else:
        press(tg, user, options, "nn:" + spec.with_dutch().encode())
        header, dutch, options = until_buttons(tg, user, "nd:")
        assert header.plain_text == _(language, "The same request in Dutch:")
        assert dutch.plain_text == draft_text(spec, "nl")
    tg.assert_no_rejected()
    return options


def start(tg: ThreadedFakeTelegram, user) -> None:
    tg.send_command(user, "/start")
    one(tg, user)


# ---------------------------------------------------------------------------- after a disclosure
@pytest.mark.parametrize("words", WORDS, ids=IDS)
def test_help_me_ask_from_the_options_after_a_disclosure(
    tg: ThreadedFakeTelegram, words: Words
) -> None:
    language = words.language
    user = new_user(tg, language)
    start(tg, user)
    tg.send_text(user, words.disclosure)
    ack = one(tg, user)
    assert _(language, "Help me ask someone I know") in ack.labels
    press(tg, user, ack, "o:ask_network")

    who = one(tg, user)
    assert asks(who, "nw") and _(language, "Who would you like to ask?") in who.plain_text
    press(tg, user, who, "nw:community")
    what = one(tg, user)
    assert asks(what, "na")
    press(tg, user, what, "na:ride")
    when = one(tg, user)
    assert asks(when, "nt")
    press(tg, user, when, "nt:morning")
    check_draft(tg, user, DraftSpec(Who.COMMUNITY, What.RIDE, When.MORNING), language)


# ---------------------------------------------------------------------------- after practical help
@pytest.mark.parametrize("words", WORDS, ids=IDS)
def test_help_me_ask_after_practical_help_results(
    tg: ThreadedFakeTelegram, words: Words
) -> None:
    language = words.language
    user = new_user(tg, language)
    start(tg, user)
    tg.send_text(user, words.practical)
    question = one(tg, user)
    if asks(question, "t"):  # a topic, when the bot did not catch one
        press(tg, user, question, "t:loneliness")
        question = one(tg, user)
    tg.send_text(user, "Rotterdam")
    results = until_buttons(tg, user, "o:another_topic")
    assert _(language, "Help me ask someone I know") in results[-1].labels
    press(tg, user, results[-1], "o:ask_network")

    who = one(tg, user)
    assert asks(who, "nw")
    press(tg, user, who, "nw:friend")
    when = one(tg, user)
    assert asks(when, "nt") and not asks(when, "na")  # the shopping was said already
    press(tg, user, when, "nt:week")
    check_draft(tg, user, DraftSpec(Who.FRIEND, What.SHOPPING, When.WEEK), language)


# ---------------------------------------------------------------------------- typed
@pytest.mark.parametrize("words", WORDS, ids=IDS)
def test_help_me_ask_typed_in_words(tg: ThreadedFakeTelegram, stack, words: Words) -> None:
    language = words.language
    user = new_user(tg, language)
    start(tg, user)
    tg.send_text(user, words.request)
    what = one(tg, user)
    assert asks(what, "na") and not asks(what, "nw")  # "my neighbour": who is known
    tg.send_text(user, words.what)  # an answer in words, not a button
    when = one(tg, user)
    assert asks(when, "nt")
    press(tg, user, when, "nt:weekend")
    check_draft(tg, user, DraftSpec(Who.NEIGHBOUR, What.SHOPPING, When.WEEKEND), language)

    pseudonym = pseudonym_for(user.id, stack.env["STEUNWIJZER_PSEUDONYM_SECRET"])
    with stack.database().session() as session:
        facts = json.loads(session.get(ConversationState, (pseudonym, "citizen")).facts)
        drafts = session.scalars(
            select(StatCounter).where(
                StatCounter.event == "network_draft", StatCounter.language == language
            )
        ).all()
    assert (facts["network_who"], facts["network_what"], facts["network_when"]) == (None,) * 3
    assert words.request not in json.dumps(facts, ensure_ascii=False)
    assert drafts and all(d.topic == "" and d.municipality_code == "" for d in drafts)
