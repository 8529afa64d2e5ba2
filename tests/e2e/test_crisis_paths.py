"""The crisis net on every input path, with the right line first (safety.md rules 1 and 2),
through the real bot, Rasa and action server, in all four languages.

What the person sees is asserted: the crisis answer, and which line it offers first: 113 for
suicidal thoughts and farewells, Veilig Thuis for violence at home, a child hurt and forced
marriage, De Kindertelefoon as well for a young writer, 112 and 113 beside what the bot cannot
read.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from itertools import count

import pytest
from fakes.telegram_api import SentMessage, ThreadedFakeTelegram

from bot.directory.national_lines import national_line
from bot.i18n.catalogs import Translator

pytestmark = pytest.mark.rasa

_user_ids = count(7_400_001)

VEILIG_THUIS = national_line("veilig_thuis").phone or ""
KINDERTELEFOON = national_line("kindertelefoon").phone or ""


@dataclass(frozen=True)
class Phrases:
    """How a person writing in one language might say each kind of thing."""

    language: str
    farewell: str  # an indirect signal: a last message
    suicidal: str  # said after a command
    partner: str
    child: str
    forced_marriage: str
    minor: str  # a child writing about being hurt at home
    ordinary: str


PHRASES = [
    Phrases(
        "nl",
        "ik wil jullie bedanken voor alles, dit is mijn laatste bericht",
        "ik wil er een eind aan maken",
        "mijn man slaat me elke avond als hij gedronken heeft",
        "de buurman slaat zijn zoontje van zes elke dag, ik hoor hem door de muur huilen",
        "mijn ouders willen me deze zomer in marokko uithuwelijken aan mijn neef",
        "ik ben 14 en mijn vader slaat me met zijn riem",
        "hoi, ik zoek een groep in Utrecht",
    ),
    Phrases(
        "tr",
        "herkese her sey icin tesekkurler, bu benim son mesajim",
        "artik yasamak istemiyorum",
        "kocam beni her gün dövüyor",
        "komşumuz küçük oğlunu her gün dövüyor, çocuk sürekli ağlıyor",
        "ailem beni zorla kuzenimle evlendirmek istiyor",
        "15 yaşındayım, babam beni kemerle dövüyor",
        "merhaba, Utrecht'te bir grup arıyorum",
    ),
    Phrases(
        "fa",
        "از همه بابت همه چیز ممنونم، این آخرین پیام منه",
        "دیگه نمیخوام زنده باشم",
        "شوهرم هر شب منو کتک میزنه",
        "همسایه هر روز پسر کوچیکش رو کتک میزنه، صدای گریه‌اش میاد",
        "خانواده‌ام میخوان منو به زور شوهر بدن",
        "۱۴ سالمه و بابام منو با کمربند میزنه",
        "سلام، دنبال یه گروه تو اوترخت هستم",
    ),
    Phrases(
        "ar",
        "شكرا لكم على كل شي، هاي آخر رسالة مني",
        "ما بدي عيش بعد اليوم",
        "زوجي يضربني كل يوم",
        "جارنا يضرب ابنه الصغير كل يوم وبسمع صوت بكاه",
        "اهلي بدهم يجوزوني غصب عني لابن عمي",
        "عمري 14 وابوي يضربني بالحزام",
        "مرحبا، ابحث عن مجموعة في اوترخت",
    ),
]
IDS = [p.language for p in PHRASES]


def _(language: str, msgid: str) -> str:
    return Translator(language).gettext(msgid)


def new_user(tg: ThreadedFakeTelegram, language: str):
    return tg.user(next(_user_ids), language_code=language, first_name="Anon")


def first_line(message: SentMessage) -> str:
    """Which line the answer offers first: the earliest of 112, 113 and Veilig Thuis."""
    text = message.plain_text
    found = {
        "112": _position(text, r"(?<!\d)112(?!\d)"),
        "113": _position(text, r"(?<!\d)113(?!\d)"),
        "veilig_thuis": _position(text, re.escape(VEILIG_THUIS)),
    }
    return min((pos, name) for name, pos in found.items() if pos is not None)[1]


def _position(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text)
    return match.start() if match else None


def crisis_answer(tg: ThreadedFakeTelegram, user, language: str) -> SentMessage:
    """The crisis answer, read from what the bot sent next."""
    [answer, *_rest] = tg.wait_for_messages(user, count=1, timeout=30)
    assert _(language, "You can keep writing to me here.") in answer.plain_text, answer
    return answer


def hide_advice(tg: ThreadedFakeTelegram, user) -> SentMessage:
    [advice] = tg.wait_for_messages(user, count=1, timeout=30)
    assert "/forget" in advice.plain_text
    return advice


# ---------------------------------------------------------------------------- the right line
@dataclass(frozen=True)
class Expect:
    """What the answer to one kind of message must show."""

    field: str  # which phrase of :class:`Phrases` is sent
    first: str  # the line offered first
    kindertelefoon: bool  # De Kindertelefoon named (the writer seems a child)
    hide: bool  # the advice on deleting the chat follows (someone at home may read it)


EXPECTED = [
    Expect("farewell", "113", kindertelefoon=False, hide=False),
    Expect("partner", "veilig_thuis", kindertelefoon=False, hide=True),
    Expect("child", "veilig_thuis", kindertelefoon=False, hide=True),  # a neighbour writes
    Expect("minor", "veilig_thuis", kindertelefoon=True, hide=True),
    Expect("forced_marriage", "veilig_thuis", kindertelefoon=False, hide=True),
]


@pytest.mark.parametrize("expect", EXPECTED, ids=[e.field for e in EXPECTED])
@pytest.mark.parametrize("phrases", PHRASES, ids=IDS)
def test_each_kind_gets_its_line_first(
    tg: ThreadedFakeTelegram, phrases: Phrases, expect: Expect
) -> None:
    user = new_user(tg, phrases.language)
    tg.send_text(user, getattr(phrases, expect.field))
    answer = crisis_answer(tg, user, phrases.language)
    assert first_line(answer) == expect.first
    assert "112" in answer.plain_text  # if in danger now
    assert (KINDERTELEFOON in answer.plain_text) == expect.kindertelefoon
    if expect.hide:
        hide_advice(tg, user)


# ---------------------------------------------------------------------------- every path
@pytest.mark.parametrize("phrases", PHRASES, ids=IDS)
def test_a_crisis_after_a_command_is_not_answered_with_the_help_text(
    tg: ThreadedFakeTelegram, phrases: Phrases
) -> None:
    user = new_user(tg, phrases.language)
    tg.send_command(user, "/help", phrases.suicidal)
    assert first_line(crisis_answer(tg, user, phrases.language)) == "113"
    # An unknown command's words are read too.
    tg.send_command(user, "/hulp", phrases.partner)
    assert first_line(crisis_answer(tg, user, phrases.language)) == "veilig_thuis"
    hide_advice(tg, user)


@pytest.mark.parametrize("phrases", PHRASES, ids=IDS)
def test_a_crisis_in_a_photo_caption(tg: ThreadedFakeTelegram, phrases: Phrases) -> None:
    user = new_user(tg, phrases.language)
    tg.send_photo(user, caption=phrases.suicidal)
    assert first_line(crisis_answer(tg, user, phrases.language)) == "113"


@pytest.mark.parametrize("phrases", PHRASES, ids=IDS)
def test_a_crisis_written_into_an_edited_message(
    tg: ThreadedFakeTelegram, phrases: Phrases
) -> None:
    user = new_user(tg, phrases.language)
    update = tg.send_text(user, phrases.ordinary)
    tg.wait_for_messages(user, count=1, timeout=30)
    tg.edit_text(user, update["message"]["message_id"], phrases.forced_marriage)
    answer = _next_crisis(tg, user, phrases.language)
    assert first_line(answer) == "veilig_thuis"


@pytest.mark.parametrize("phrases", PHRASES, ids=IDS)
def test_a_forwarded_crisis_message(tg: ThreadedFakeTelegram, phrases: Phrases) -> None:
    user = new_user(tg, phrases.language)
    origin = {"type": "hidden_user", "sender_user_name": "Someone", "date": int(time.time())}
    tg.send_text(user, phrases.child, forward_origin=origin)
    assert first_line(crisis_answer(tg, user, phrases.language)) == "veilig_thuis"


@pytest.mark.parametrize("phrases", PHRASES, ids=IDS)
def test_a_voice_message_gets_its_answer_plus_112_and_113(
    tg: ThreadedFakeTelegram, phrases: Phrases
) -> None:
    user = new_user(tg, phrases.language)
    tg.send_voice(user)
    [answer] = tg.wait_for_messages(user, count=1, timeout=30)
    text = answer.plain_text
    assert _(phrases.language, "I can't listen to voice messages. Could you type it? A few "
             "words are enough.") in text
    assert "112" in text and "113" in text


def _next_crisis(tg: ThreadedFakeTelegram, user, language: str) -> SentMessage:
    """Skip what the bot was still saying to the first message until the crisis answer."""
    for _attempt in range(6):
        [message] = tg.wait_for_messages(user, count=1, timeout=30)
        if _(language, "You can keep writing to me here.") in message.plain_text:
            return message
    raise AssertionError("no crisis answer after the edit")
