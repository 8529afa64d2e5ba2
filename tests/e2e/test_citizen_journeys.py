"""A citizen's journeys through the real bot, Rasa and action server, in all four languages.

Every assertion is about what the person sees in Telegram: texts in their language, buttons,
dates in their calendar format, crisis lines, and nothing lost on odd input.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

import pytest
from babel.dates import get_month_names
from fakes.telegram_api import SentMessage, ThreadedFakeTelegram
from sqlalchemy import select

from bot.citizens.models import CitizenProfile
from bot.i18n.catalogs import Translator
from bot.i18n.formatting import FSI, locale_for
from bot.privacy.pseudonym import pseudonym_for

pytestmark = pytest.mark.rasa

_user_ids = count(7_000_001)


@dataclass(frozen=True)
class Script:
    """How a person writing in one language might say things."""

    language: str
    disclosure: str
    place: str
    practical: str
    volunteer: str
    crisis: str
    home_violence: str


SCRIPTS = [
    Script(
        "nl",
        "sinds mijn man overleden is voel ik me heel eenzaam",
        "Tilburg",
        "ik zoek iemand die me kan helpen met de boodschappen",
        "ik wil graag vrijwilligerswerk doen",
        "ik wil er een eind aan maken",
        "mijn man slaat me elke avond",
    ),
    Script(
        "tr",
        "esimi kaybettim cok yalniz hissediyorum",
        "Tilburg",
        "alisveriste bana yardim edecek biri var mi",
        "gonullu olarak yardim etmek istiyorum",
        "artik yasamak istemiyorum",
        "kocam beni dövüyor",
    ),
    Script(
        "fa",
        "از وقتی همسرم فوت کرده خیلی تنها هستم",
        "تیلبورگ",
        "کسی هست که تو خرید کردن کمکم کنه",
        "میخوام داوطلب بشم و به بقیه کمک کنم",
        "دیگه نمیخوام زنده باشم",
        "شوهرم منو کتک میزنه",
    ),
    Script(
        "ar",
        "منذ وفاة زوجي اشعر بالوحدة كثيرا",
        "تيلبورخ",
        "بدي حدا يساعدني بالتسوق",
        "اريد ان اتطوع لمساعدة الناس",
        "ما بدي عيش بعد اليوم",
        "زوجي يضربني كل يوم",
    ),
]
IDS = [s.language for s in SCRIPTS]


def _(language: str, msgid: str, **values: object) -> str:
    return Translator(language).gettext(msgid, **values)


def new_user(tg: ThreadedFakeTelegram, language: str):
    return tg.user(next(_user_ids), language_code=language, first_name="Anon")


def until_buttons(tg: ThreadedFakeTelegram, user, has: str) -> list[SentMessage]:
    """Collect messages until one carries a button whose callback data starts with ``has``."""
    received: list[SentMessage] = []
    while True:
        [message] = tg.wait_for_messages(user, count=1, timeout=30)
        received.append(message)
        if any((data or "").startswith(has) for row in message.buttons for _, data in row):
            return received


def button_data(message: SentMessage, data: str) -> str:
    """The callback data ``data`` if the message shows such a button."""
    all_data = [d for row in message.buttons for _, d in row]
    assert data in all_data, f"no button {data!r} in {all_data}"
    return data


def pick_topic_if_asked(tg: ThreadedFakeTelegram, user, question: SentMessage) -> SentMessage:
    """When the bot did not catch a topic it asks; the person picks one, as they would."""
    if any((d or "").startswith("t:") for row in question.buttons for _, d in row):
        tg.press_button(user, question, "t:loneliness")
        [question] = tg.wait_for_messages(user, count=1, timeout=30)
    return question


def start(tg: ThreadedFakeTelegram, user) -> SentMessage:
    tg.send_command(user, "/start")
    [welcome] = tg.wait_for_messages(user, count=1, timeout=30)
    return welcome


# ---------------------------------------------------------------------------- start
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_start_welcomes_in_the_persons_language_with_the_anonymity_promise(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    user = new_user(tg, script.language)
    welcome = start(tg, user)
    expected = _(
        script.language,
        "You don't need to give your name. Nothing that identifies you "
        "is stored, and you can delete everything at any time with /forget.",
    )
    assert expected in welcome.plain_text
    assert {d for row in welcome.buttons for _, d in row} >= {
        "o:peer_group",
        "o:volunteer_help",
        "o:human",
    }
    assert "typing" in tg.chat_actions(user)
    tg.assert_no_rejected()


# ---------------------------------------------------------------------------- disclosure → group
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_a_disclosure_leads_to_peer_groups_with_a_formatted_meeting_date(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    language = script.language
    user = new_user(tg, language)
    start(tg, user)

    tg.send_text(user, script.disclosure)
    [ack] = tg.wait_for_messages(user, count=1, timeout=30)
    assert _(language, "What would help you most?") in ack.plain_text
    tg.press_button(user, ack, button_data(ack, "o:peer_group"))

    [question] = tg.wait_for_messages(user, count=1, timeout=30)
    question = pick_topic_if_asked(tg, user, question)
    assert button_data(question, "p:online")  # "online is fine" is always an option

    tg.send_text(user, script.place)
    results = until_buttons(tg, user, "o:another_topic")
    header, cards = results[0], results[1:]
    assert "Tilburg" in header.plain_text
    assert 1 <= len(cards) <= 3
    months = get_month_names("wide", locale=locale_for(language)).values()
    meeting_label = _(language, "Next meeting")
    dated = [c for c in cards if meeting_label in c.plain_text]
    assert dated, "no card shows a next meeting"
    assert any(month in dated[0].plain_text for month in months)
    if language in {"fa", "ar"}:
        assert FSI in cards[0].text  # Dutch names kept readable inside RTL text
    tg.assert_no_rejected()


# ---------------------------------------------------------------------------- practical help
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_practical_help_asks_the_place_then_offers_volunteer_help(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    language = script.language
    user = new_user(tg, language)
    start(tg, user)
    tg.send_text(user, script.practical)
    [question] = tg.wait_for_messages(user, count=1, timeout=30)
    question = pick_topic_if_asked(tg, user, question)
    button_data(question, "p:skip")  # "I'd rather not say" is offered…
    tg.send_text(user, "Rotterdam")  # …but shopping help needs someone nearby
    results = until_buttons(tg, user, "o:another_topic")
    assert "Rotterdam" in results[0].plain_text
    kinds = {
        _(language, "Volunteer help"),
        _(language, "Volunteer centre"),
        _(language, "Support point for carers"),
        _(language, "Community centre"),
    }
    assert any(kind in m.plain_text for m in results[1:] for kind in kinds)


# ---------------------------------------------------------------------------- volunteering
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_someone_who_wants_to_volunteer_finds_the_volunteer_centre(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    language = script.language
    user = new_user(tg, language)
    start(tg, user)
    tg.send_text(user, script.volunteer)
    [question] = tg.wait_for_messages(user, count=1, timeout=30)
    button_data(question, "p:online")
    tg.send_text(user, "Utrecht")
    results = until_buttons(tg, user, "o:another_topic")
    assert any(_(language, "Volunteer centre") in m.plain_text for m in results[1:])


# ---------------------------------------------------------------------------- privacy and forget
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_privacy_explains_in_plain_language(tg: ThreadedFakeTelegram, script: Script) -> None:
    user = new_user(tg, script.language)
    start(tg, user)
    tg.send_command(user, "/privacy")
    [answer] = tg.wait_for_messages(user, count=1, timeout=30)
    assert _(script.language, "Send /forget to delete everything at once.") in answer.plain_text


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_forget_asks_first_then_deletes_everything(
    tg: ThreadedFakeTelegram, stack, script: Script
) -> None:
    user = new_user(tg, script.language)
    start(tg, user)
    pseudonym = pseudonym_for(user.id, stack.env["STEUNWIJZER_PSEUDONYM_SECRET"])
    with stack.database().session() as session:
        assert session.get(CitizenProfile, pseudonym) is not None  # language remembered

    tg.send_command(user, "/forget")
    [confirm] = tg.wait_for_messages(user, count=1, timeout=30)
    tg.press_button(user, confirm, button_data(confirm, "f"))
    [done] = tg.wait_for_messages(user, count=1, timeout=30)
    assert (
        _(
            script.language,
            "Done. I have deleted everything about you. You can also delete "
            "this chat in Telegram. You are welcome back any time.",
        )
        in done.plain_text
    )
    with stack.database().session() as session:
        assert (
            session.scalar(select(CitizenProfile).where(CitizenProfile.pseudonym == pseudonym))
            is None
        )


# ---------------------------------------------------------------------------- crisis
def _assert_crisis(message: SentMessage, language: str) -> None:
    assert "113" in message.plain_text and "112" in message.plain_text
    assert _(language, "You can keep writing to me here.") in message.plain_text


@pytest.mark.parametrize(
    "bot",
    [
        "tg",  # everything up
        "tg_degraded",  # Rasa stopped
        "tg_no_database",  # Rasa and the database both down
    ],
)
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_crisis_answer_comes_first_whatever_is_down(
    request: pytest.FixtureRequest, bot: str, script: Script
) -> None:
    telegram: ThreadedFakeTelegram = request.getfixturevalue(bot)
    user = new_user(telegram, script.language)
    telegram.send_text(user, script.crisis)
    [answer] = telegram.wait_for_messages(user, count=1, timeout=30)
    _assert_crisis(answer, script.language)


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_violence_at_home_adds_veilig_thuis_and_how_to_hide_the_chat(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    user = new_user(tg, script.language)
    tg.send_text(user, script.home_violence)
    answer, hide = tg.wait_for_messages(user, count=2, timeout=30)
    text = answer.plain_text
    assert _(script.language, "You can keep writing to me here.") in text
    # Veilig Thuis is the first line offered (safety.md rule 2); 112 if in danger now.
    assert "112" in text and text.index("0800-2000") < text.index("112")
    assert "/forget" in hide.plain_text


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_degraded_mode_still_finds_groups_with_buttons(
    tg_degraded: ThreadedFakeTelegram, script: Script
) -> None:
    language = script.language
    user = new_user(tg_degraded, language)
    start(tg_degraded, user)
    tg_degraded.send_text(user, script.disclosure)
    notice, menu = tg_degraded.wait_for_messages(user, count=2, timeout=30)
    assert (
        _(language, "I understand less than usual right now. The buttons still work.")
        in notice.plain_text
    )
    tg_degraded.press_button(user, menu, button_data(menu, "o:peer_group"))
    [question] = tg_degraded.wait_for_messages(user, count=1, timeout=30)
    question = pick_topic_if_asked(tg_degraded, user, question)
    tg_degraded.press_button(user, question, "p:online")
    results = until_buttons(tg_degraded, user, "o:another_topic")
    assert len(results) >= 2


# ---------------------------------------------------------------------------- language
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_language_switch_with_buttons_in_each_languages_own_name(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    user = new_user(tg, "nl")
    start(tg, user)
    tg.send_command(user, "/language")
    [menu] = tg.wait_for_messages(user, count=1, timeout=30)
    assert {"Nederlands", "Türkçe", "فارسی", "العربية"} <= set(menu.labels)
    tg.press_button(user, menu, button_data(menu, f"l:{script.language}"))
    [confirmation] = tg.wait_for_messages(user, count=1, timeout=30)
    assert (
        _(script.language, "Okay, from now on I will write in English.") in confirmation.plain_text
    )
    tg.send_command(user, "/privacy")
    [privacy] = tg.wait_for_messages(user, count=1, timeout=30)
    assert _(script.language, "Send /forget to delete everything at once.") in privacy.plain_text


# ---------------------------------------------------------------------------- odd input
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_stickers_voice_photos_and_locations_get_a_clear_answer(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    language = script.language
    user = new_user(tg, language)
    start(tg, user)
    tg.send_sticker(user)
    [sticker] = tg.wait_for_messages(user, count=1, timeout=30)
    assert sticker.plain_text.startswith(_(
        language, "Thanks for the sticker! I can only read text, though."
    ))
    tg.send_voice(user)
    [voice] = tg.wait_for_messages(user, count=1, timeout=30)
    assert voice.plain_text.startswith(_(
        language, "I can't listen to voice messages. Could you type it? A few words are enough."
    ))
    tg.send_photo(user)
    [photo] = tg.wait_for_messages(user, count=1, timeout=30)
    assert photo.plain_text.startswith(_(
        language, "I can't look at photos. Could you tell me in words what is going on?"
    ))
    tg.send_location(user, 52.09, 5.12)
    [location] = tg.wait_for_messages(user, count=1, timeout=30)
    assert "anonym" in location.plain_text.lower() or location.plain_text.startswith(_(
        language,
        "I don't use locations, so you stay anonymous. You can type your municipality instead.",
    ))
    # Someone in crisis may reach for a voice message or a sticker: 112 and 113 are there.
    for answer in (sticker, voice, photo, location):
        assert "112" in answer.plain_text and "113" in answer.plain_text


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_a_flood_gets_one_notice_but_a_crisis_message_is_never_held_back(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    language = script.language
    user = new_user(tg, language)
    for _n in range(10):
        tg.send_text(user, script.disclosure)
    tg.send_text(user, script.crisis)
    flood_notice = _(
        language,
        "You are sending a lot of messages at once. I read them one by one; please wait a moment.",
    )
    # Read until both the flood notice and the crisis answer arrived (6 messages get an
    # answer of one or more messages; the other 4 only one notice).
    texts: list[str] = []
    while not (any(flood_notice in t for t in texts) and any("113" in t for t in texts)):
        assert len(texts) < 40, texts
        [message] = tg.wait_for_messages(user, count=1, timeout=60)
        texts.append(message.plain_text)
    assert sum(flood_notice in t for t in texts) == 1
    assert sum("113" in t for t in texts) == 1


def test_in_a_group_chat_the_bot_answers_once_with_a_private_link(tg: ThreadedFakeTelegram) -> None:
    user = new_user(tg, "nl")
    group = tg.group_chat(-100_555, "Buurtgroep")
    tg.send_text_in_group(user, group, "hallo bot")
    [answer] = tg.wait_for_messages(group, count=1, timeout=30)
    assert f"t.me/{tg.bot_username}" in answer.plain_text
    tg.send_text_in_group(user, group, "hallo nog een keer")
    tg.send_command(user, "/start")  # a private message to know the bot processed the group one
    tg.wait_for_messages(user, count=1, timeout=30)
    assert len(tg.sent(group)) == 1


def test_commands_and_descriptions_are_published_per_language(tg: ThreadedFakeTelegram) -> None:
    for language in ("nl", "tr", "fa", "ar", "en"):
        commands = tg.commands(language)
        assert [c["command"] for c in commands] == [
            "start",
            "help",
            "language",
            "privacy",
            "forget",
        ]
        assert commands[4]["description"] == _(language, "Delete everything about me")
    assert set(tg.descriptions["description"]) >= {"nl", "tr", "fa", "ar"}


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_edits_and_documents_get_a_clear_answer_and_nothing_is_lost(
    tg: ThreadedFakeTelegram, script: Script
) -> None:
    language = script.language
    user = new_user(tg, language)
    update = tg.send_command(user, "/start")
    tg.wait_for_messages(user, count=1, timeout=30)
    # An edit is read by the crisis net, not replayed: an edited command does not run again.
    tg.edit_text(user, update["message"]["message_id"], "/privacy")
    [edited] = tg.wait_for_messages(user, count=1, timeout=30)
    assert edited.plain_text == _(
        language,
        "I saw you changed a message. I answered the first version; just send the new text "
        "again if it matters.",
    )
    tg.send_document(user, "brief.pdf", b"%PDF-1.4 test", mime_type="application/pdf")
    [document] = tg.wait_for_messages(user, count=1, timeout=30)
    assert document.plain_text.startswith(_(
        language,
        "I can't open files. Please don't send documents with personal details; just tell me "
        "in words.",
    ))
    # The conversation goes on as before.
    tg.send_command(user, "/privacy")
    [privacy] = tg.wait_for_messages(user, count=1, timeout=30)
    assert _(language, "Send /forget to delete everything at once.") in privacy.plain_text


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_a_poster_deep_link_opens_that_group(
    tg: ThreadedFakeTelegram, stack, script: Script
) -> None:
    from bot.directory.models import Service

    with stack.database().session() as session:
        group = session.scalars(
            select(Service).where(Service.kind == "peer_group", Service.name.contains("Tilburg"))
        ).first()
        assert group is not None
        group_id, group_name = group.id, group.name
    user = new_user(tg, script.language)
    tg.send_command(user, "/start", payload=group_id)
    [detail] = tg.wait_for_messages(user, count=1, timeout=30)
    assert group_name in detail.plain_text
    assert _(script.language, "Upcoming meetings") in detail.plain_text
