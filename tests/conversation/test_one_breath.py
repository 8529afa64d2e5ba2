"""A person understood in one breath (product.md, conversation principles), through the core.

The NLU replica is a stand-in that knows nothing but what each test gives it (anything else is
``nlu_fallback``), so these tests show the conversation holding up on the facts the core finds
itself: places in every script, wishes and answers in everyday words. The real Rasa behind the
same core is tested in tests/e2e and measured by the scenario suite (``make eval``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fake_nlu import FakeNlu
from one_breath import A_GROUP, CARING, LANGUAGES, ONE_BREATH

from bot.context import AppContext
from bot.conversation.nlu_client import NluClient
from bot.conversation.pipeline import Citizen, Pipeline, PipelineResult
from bot.dialogue import render
from bot.taxonomy import Route
from bot.vocabulary import ButtonIntent


@pytest.fixture
async def pipeline(context: AppContext) -> AsyncIterator[Pipeline]:
    async with FakeNlu({}).running() as replica:
        yield Pipeline(context, NluClient([replica.url], token=replica.token, timeout=5))


def texts(result: PipelineResult) -> list[str]:
    return [reply.text for reply in result.replies]


def groups_shown(result: PipelineResult) -> bool:
    buttons = [b for reply in result.replies for row in reply.buttons for b in row]
    return any(b.intent == ButtonIntent.OPEN_GROUP for b in buttons)


def asks_place(result: PipelineResult, language: str) -> bool:
    return render.ask_place(language)[0].text in texts(result)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_story_with_a_place_and_a_wish_goes_straight_to_groups_there(
    pipeline: Pipeline, language: str
) -> None:
    person = Citizen(pseudonym=f"widow-{language}")
    result = await pipeline.handle_text(person, ONE_BREATH[language])
    assert result.route == Route.PEER_GROUP and result.language == language
    assert groups_shown(result), texts(result)
    assert "Tilburg" in result.replies[0].text  # "near Tilburg", not "which municipality?"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_wish_typed_later_uses_the_place_said_before(
    pipeline: Pipeline, language: str
) -> None:
    person = Citizen(pseudonym=f"carer-{language}")
    told = await pipeline.handle_text(person, CARING[language])
    assert render.main_menu(language)[0].text in told.replies[0].text  # what would help most?
    found = await pipeline.handle_text(person, A_GROUP[language])
    assert found.route == Route.PEER_GROUP
    assert not asks_place(found, language), "Amsterdam was said already"
    assert groups_shown(found) and "Amsterdam" in found.replies[0].text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_yes_to_what_would_help_is_the_first_rung(
    pipeline: Pipeline, language: str
) -> None:
    yes = {"nl": "ja graag", "tr": "evet lütfen", "fa": "بله لطفا", "ar": "نعم من فضلك"}
    person = Citizen(pseudonym=f"yes-{language}")
    await pipeline.handle_text(person, CARING[language])
    found = await pipeline.handle_text(person, yes[language])
    assert found.route == Route.PEER_GROUP and groups_shown(found)


async def test_the_place_question_is_answered_in_words(pipeline: Pipeline) -> None:
    person = Citizen(pseudonym="words-nl")
    await pipeline.handle_text(person, "ik zoek een groep voor mensen met schulden")
    asked = await pipeline.handle_text(person, "doe maar gewoon online")
    assert asked.route == Route.PEER_GROUP and not asks_place(asked, "nl")
    state = pipeline.memory.load("words-nl", "nl")
    assert state.online and state.topic == "money_debt"


async def test_a_new_problem_replaces_the_old_one(pipeline: Pipeline) -> None:
    person = Citizen(pseudonym="change-nl")
    await pipeline.handle_text(person, "ik voel me zo eenzaam, ik woon in Utrecht")
    await pipeline.handle_text(person, "eigenlijk gaat het om mijn schulden, alles loopt vast")
    state = pipeline.memory.load("change-nl", "nl")
    assert state.topic == "money_debt" and state.place_name == "Utrecht"


async def test_two_problems_at_once_are_both_offered(pipeline: Pipeline) -> None:
    person = Citizen(pseudonym="two-nl")
    result = await pipeline.handle_text(
        person, "ik heb schulden en mijn kinderen luisteren niet. Is er een groep in Rotterdam?"
    )
    assert groups_shown(result)
    other = pipeline.memory.load("two-nl", "nl").second_topic
    labels = [b for r in result.replies for row in r.buttons for b in row]
    also = [b for b in labels if b.intent == ButtonIntent.CHOOSE_TOPIC and b.value == other]
    assert other and also, "the second problem is one press away"
    swapped = await pipeline.handle_button(person, ButtonIntent.CHOOSE_TOPIC, other)
    assert groups_shown(swapped)


async def test_only_a_place_asks_what_would_help_and_keeps_it(pipeline: Pipeline) -> None:
    person = Citizen(pseudonym="place-nl")
    asked = await pipeline.handle_text(person, "ik woon in Eindhoven")
    assert asked.route == Route.CONVERSATION
    assert texts(asked) == texts_of(render.main_menu("nl"))
    found = await pipeline.handle_text(person, "een groep voor mantelzorgers graag")
    assert groups_shown(found) and "Eindhoven" in found.replies[0].text


async def test_thanks_after_asking_for_a_person_is_not_taken_as_the_question(
    pipeline: Pipeline, context: AppContext
) -> None:
    person = Citizen(pseudonym="thanks-nl")
    await pipeline.handle_button(person, ButtonIntent.CHOOSE_OPTION, "human")
    async with FakeNlu({"ok dankjewel": ("thanks", {})}).running() as replica:
        polite = Pipeline(context, NluClient([replica.url], token=replica.token, timeout=5))
        result = await polite.handle_text(person, "ok dankjewel")
    assert result.route == Route.CONVERSATION
    assert texts(result) == texts_of(render.thanks("nl"))


def texts_of(replies) -> list[str]:
    return [reply.text for reply in replies]


async def test_what_a_crisis_message_also_said_is_not_asked_again(context: AppContext) -> None:
    # One sentence of the story is a crisis signal for the model: the crisis answer comes
    # first, and what the message also said (caring for a mother, Tilburg) is kept.
    story = (
        "Mijn moeder heeft dementie en ik zorg alleen voor haar. Ik woon in Tilburg. "
        "Ik kan niet meer."
    )
    meanings = {"Ik kan niet meer.": ("crisis", {})}
    async with FakeNlu(meanings).running() as replica:
        pipeline = Pipeline(context, NluClient([replica.url], token=replica.token, timeout=5))
        person = Citizen(pseudonym="after-crisis-nl")
        crisis = await pipeline.handle_text(person, story)
        assert crisis.crisis
        found = await pipeline.handle_text(person, "ik zoek een groep")
    assert not asks_place(found, "nl") and groups_shown(found)
    assert "Tilburg" in found.replies[0].text
    assert pipeline.memory.load("after-crisis-nl", "nl").topic == "caregiving"


async def test_what_a_message_read_as_crisis_as_a_whole_also_said_is_kept(
    context: AppContext,
) -> None:
    # No sentence alone is a crisis signal, the message as a whole is (the engine's crisis
    # route): the crisis answer, and the facts of the message kept for the next turn.
    story = "Mijn vader drinkt elke dag. Ik woon in Tilburg en ik ben egt kapot."
    async with FakeNlu({story: ("crisis", {})}).running() as replica:
        pipeline = Pipeline(context, NluClient([replica.url], token=replica.token, timeout=5))
        person = Citizen(pseudonym="whole-crisis-nl")
        crisis = await pipeline.handle_text(person, story)
        assert crisis.route == Route.CRISIS_LINE
        kept = pipeline.memory.peek("whole-crisis-nl", "nl")
        assert (kept.topic, kept.place_name, kept.about) == ("addiction", "Tilburg", "other")
        found = await pipeline.handle_text(person, "ik zoek een groep")
    assert not asks_place(found, "nl") and groups_shown(found)
