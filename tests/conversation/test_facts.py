"""Every fact of a message is heard: the place anywhere in it (every script, inflected), the
problems, who it is about and what the person asks for, whatever the model made of the whole.

The NLU readings are built by hand here, so each test shows which source a fact came from;
the real model behind the same code is exercised by tests/e2e and the scenario suite.
"""

from __future__ import annotations

import pytest

from bot.conversation.facts import main_meaning, read_facts
from bot.dialogue.remember import remember
from bot.directory.gazetteer import Gazetteer
from bot.vocabulary import About, DialogueState, MessageFacts, NluResult, Wish

GAZETTEER = Gazetteer.bundled()
UNSURE = NluResult("nlu_fallback", 0.2)
TELLS = NluResult("share_situation", 0.7)


def facts(text: str, whole: NluResult = UNSURE, *sentences: NluResult) -> MessageFacts:
    return read_facts(text, whole, sentences, GAZETTEER)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Mijn man is vorig jaar overleden en ik woon nu alleen in Tilburg. Is er een groep?",
         "Tilburg"),
        ("Eşim geçen yıl vefat etti, Lahey'de tek başıma yaşıyorum, bir grup var mı?",
         "'s-Gravenhage"),
        ("پدرم مریضه و من توی روتردام زندگی می‌کنم، یه گروه هست؟", "Rotterdam"),
        ("امي مريضة وانا ساكنة بأمستردام، في مجموعة؟", "Amsterdam"),
        ("ik woon in de buurt van 5038, zoek een praatgroep", "Tilburg"),
    ],
)
def test_the_place_is_found_anywhere_in_a_long_message(text: str, place: str) -> None:
    assert facts(text, TELLS).place_name == place


def test_a_place_the_model_tagged_counts_when_the_words_hold_none() -> None:
    tagged = NluResult("inform_location", 0.9, place="Utrecht")
    assert facts("daar woon ik, in die stad", tagged).place_name == "Utrecht"


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("ja, een groep graag", Wish.GROUP),
        ("evet lütfen, bir grup olsun", Wish.GROUP),
        ("یه گروه می‌خوام", Wish.GROUP),
        ("بدي مجموعة", Wish.GROUP),
        ("liever een vrijwilliger die meegaat naar de dokter", Wish.VOLUNTEER),
        ("ik wil met iemand praten", Wish.PERSON),
        ("ik wil graag vrijwilliger worden", Wish.VOLUNTEER_SIGNUP),
    ],
)
def test_a_wish_in_everyday_words(text: str, wish: Wish) -> None:
    assert facts(text).wish == wish


def test_a_wish_the_model_reads_in_one_sentence_counts() -> None:
    text = "Mijn vader drinkt te veel. Weten jullie iets voor mij?"
    sentence = NluResult("seek_peer_group", 0.8)
    assert facts(text, TELLS, NluResult("share_situation", 0.6), sentence).wish == Wish.GROUP


def test_a_story_that_ends_in_a_wish_is_routed_by_the_wish() -> None:
    text = "Mijn vrouw is overleden. Ik woon in Tilburg. Bestaat er een groep voor weduwnaars?"
    said = facts(text, TELLS)
    meaning = main_meaning(TELLS, (), said)
    assert meaning.intent == "seek_peer_group"
    assert meaning.topic == "grief"


def test_a_long_message_the_model_cannot_place_is_read_by_its_clearest_sentence() -> None:
    text = "Hoi. Ik weet eigenlijk niet zo goed hoe dit werkt. Mijn zoon zit aan de drugs."
    clear = NluResult("share_situation", 0.8, topic="addiction")
    meaning = main_meaning(UNSURE, (NluResult("greet", 0.2), clear), facts(text, UNSURE, clear))
    assert meaning.intent == "share_situation" and meaning.topic == "addiction"


def test_a_problem_and_a_place_are_more_than_a_place() -> None:
    text = "ik woon sinds kort in Almere en voel me erg eenzaam"
    said = facts(text, NluResult("inform_location", 0.8))
    assert said.topics and said.place_name == "Almere"
    assert main_meaning(NluResult("inform_location", 0.8), (), said).intent == "share_situation"


def test_two_problems_at_once_are_both_kept_with_violence_first() -> None:
    said = facts("ik heb schulden en mijn kinderen luisteren niet meer", TELLS)
    assert set(said.topics[:2]) == {"money_debt", "parenting"}
    violent = facts("ik heb schulden. mijn man slaat me", TELLS)
    assert violent.topics[0] == "violence"


@pytest.mark.parametrize(
    ("text", "about", "topic"),
    [
        ("mijn moeder heeft dementie en ik doe alles voor haar", About.OTHER, "caregiving"),
        ("annem felç geçirdi, ona ben bakıyorum", About.OTHER, "caregiving"),
        ("ik ben al maanden somber", About.SELF, "mental_health"),
        ("mijn vrouw is overleden", About.SELF, "grief"),
    ],
)
def test_who_it_is_about(text: str, about: About, topic: str) -> None:
    said = facts(text, TELLS)
    assert said.about == about
    assert said.topics[0] == topic


def test_search_wishes_are_heard() -> None:
    said = facts("een groep in het Turks, alleen voor vrouwen, online is ook goed", TELLS)
    assert said.women_only and said.own_language and said.online


def test_remembering_keeps_what_was_said_before() -> None:
    state = DialogueState(language="fa", topic="caregiving")
    state = remember(state, facts("تو آمستردام زندگی می‌کنم", UNSURE))
    assert state.place_name == "Amsterdam" and state.topic == "caregiving"
    state = remember(state, facts("یه گروه می‌خوام", UNSURE))
    assert state.place_name == "Amsterdam", "a message without a place keeps the known one"
    online = remember(DialogueState(), facts("online is prima", UNSURE))
    assert online.online and online.place_skipped


@pytest.mark.parametrize(
    "text",
    [
        "dat hou ik liever voor mezelf",
        "nerede oturduğumu söylemesem olur mu",
        "ترجیح میدم نگم کجام",
        "ما بدي احكي وين ساكن",
    ],
)
def test_rather_not_say_in_words(text: str) -> None:
    assert facts(text).rather_not_say and facts(text).place_code is None


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("geen groep hoor, liever een maatje die af en toe langskomt", Wish.VOLUNTEER),
        ("grup istemiyorum, biriyle konuşmak istiyorum", Wish.PERSON),
        ("گروه نمیخوام، یه داوطلب لازم دارم", Wish.VOLUNTEER),
        ("ما بدي مجموعة، بدي متطوع يساعدني", Wish.VOLUNTEER),
        ("ik wil echt niet in een groep", None),
        ("برای ما گروهی هست؟", Wish.GROUP),  # ما is "we" in Persian, not a negation
    ],
)
def test_a_wish_taken_back_does_not_count(text: str, wish: Wish | None) -> None:
    assert facts(text).wish == wish
