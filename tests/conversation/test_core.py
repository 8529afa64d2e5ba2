"""The conversation core keeps one state per person, in the database: the same whether the NLU
service is up or down, across a restart of the bot, and without any message text.

The NLU replica is a stand-in here (``fake_nlu.py``), switched off and on at will; the real
Rasa behind the same core is tested end to end in ``tests/e2e``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from fake_nlu import FakeNlu

from bot.context import AppContext
from bot.conversation.models import ConversationState
from bot.conversation.nlu_client import NluClient
from bot.conversation.pipeline import Citizen, Pipeline
from bot.dialogue import render
from bot.taxonomy import Route
from bot.vocabulary import ButtonIntent, DialogueState

#: "I lost my husband and I am looking for a group", per language (the fake NLU's only phrase).
ASK = {
    "nl": "mijn man is overleden, ik zoek een groep",
    "tr": "eşimi kaybettim, bir grup arıyorum",
    "fa": "همسرم فوت کرده، دنبال یک گروه هستم",
    "ar": "توفي زوجي، أبحث عن مجموعة",
}


@pytest.fixture
async def nlu() -> AsyncIterator[FakeNlu]:
    meanings = {text: ("seek_peer_group", {"topic": "grief"}) for text in ASK.values()}
    async with FakeNlu(meanings).running() as replica:
        yield replica


def _pipeline(context: AppContext, nlu: FakeNlu) -> Pipeline:
    return Pipeline(context, NluClient([nlu.url], token=nlu.token, timeout=5))


def _groups(result) -> list[str]:
    return [
        b.value for r in result.replies for row in r.buttons for b in row
        if b.intent == ButtonIntent.OPEN_GROUP
    ]


@pytest.mark.parametrize("language", ["nl", "tr", "fa", "ar"])
async def test_a_search_goes_on_through_an_nlu_outage_and_a_restart(
    context: AppContext, nlu: FakeNlu, language: str
) -> None:
    citizen = Citizen(pseudonym=f"person-{language}", telegram_language=language)
    first = _pipeline(context, nlu)
    asked = await first.handle_text(citizen, ASK[language])
    # Topic and wish came with the message: only the place is asked for.
    assert [r.text for r in asked.replies] == [r.text for r in render.ask_place(language)]
    assert asked.language == language and not asked.degraded

    # The NLU service goes down and the bot restarts: a new pipeline, the same database.
    nlu.up = False
    second = _pipeline(context, nlu)
    found = await second.handle_text(citizen, "Utrecht")
    assert found.degraded and found.route == Route.PEER_GROUP
    assert found.replies[0].text == render.understands_less(language)
    assert _groups(found), "the search the person started before the outage has results"

    # Back up: "more results" continues the same search (a button: no NLU needed).
    nlu.up = True
    more = await second.handle_button(citizen, ButtonIntent.SHOW_MORE, None)
    assert not more.degraded and more.route == Route.PEER_GROUP
    assert nlu.texts == [ASK[language]], "a button never goes to the NLU service"


async def test_no_message_text_is_stored(context: AppContext, nlu: FakeNlu) -> None:
    citizen = Citizen(pseudonym="p-private", telegram_language="nl")
    pipeline = _pipeline(context, nlu)
    await pipeline.handle_text(citizen, ASK["nl"])
    await pipeline.handle_text(citizen, "Utrecht")
    await pipeline.handle_command(citizen, "help")
    with context.database.session() as session:
        (row,) = session.query(ConversationState).filter_by(pseudonym="p-private")
        assert "overleden" not in row.facts and "groep" not in row.facts
        assert '"topic": "grief"' in row.facts and '"place_code": "GM0344"' in row.facts


async def test_an_unconfirmed_question_stays_out_of_the_database(
    context: AppContext, nlu: FakeNlu
) -> None:
    citizen = Citizen(pseudonym="p-asks", telegram_language="nl")
    pipeline = _pipeline(context, nlu)
    await pipeline.handle_button(citizen, ButtonIntent.CHOOSE_OPTION, "human")
    draft = await pipeline.handle_text(citizen, "Hoe lang duurt een wachtlijst bij de GGZ?")
    assert "wachtlijst" in draft.replies[0].text  # shown back to confirm
    with context.database.session() as session:
        (row,) = session.query(ConversationState).filter_by(pseudonym="p-asks")
        assert "wachtlijst" not in row.facts and '"pending": "confirm_question"' in row.facts


async def test_one_persons_turns_are_answered_in_order(
    context: AppContext, nlu: FakeNlu
) -> None:
    citizen = Citizen(pseudonym="p-quick", telegram_language="nl")
    pipeline = _pipeline(context, nlu)
    # Sent at once: the second must see the state the first left (the place question).
    asked, found = await asyncio.gather(
        pipeline.handle_text(citizen, ASK["nl"]), pipeline.handle_text(citizen, "Utrecht")
    )
    assert [r.text for r in asked.replies] == [r.text for r in render.ask_place("nl")]
    assert _groups(found)


async def test_forget_removes_the_state(context: AppContext, nlu: FakeNlu) -> None:
    citizen = Citizen(pseudonym="p-forget", telegram_language="nl")
    pipeline = _pipeline(context, nlu)
    await pipeline.handle_text(citizen, ASK["nl"])
    await pipeline.handle_command(citizen, "forget")
    await pipeline.handle_button(citizen, ButtonIntent.CONFIRM_FORGET, None)
    with context.database.session() as session:
        assert session.query(ConversationState).filter_by(pseudonym="p-forget").count() == 0
    assert pipeline.memory.load("p-forget", "nl") == DialogueState(language="nl")


async def test_a_crisis_never_waits_behind_a_slow_nlu_call(
    context: AppContext, nlu: FakeNlu
) -> None:
    nlu.gate = asyncio.Event()  # the NLU service hangs until the test lets it answer
    pipeline = _pipeline(context, nlu)
    other = Citizen(pseudonym="p-other", telegram_language="nl")
    writer = Citizen(pseudonym="p-writer", telegram_language="nl")
    waiting = [
        asyncio.create_task(pipeline.handle_text(other, ASK["nl"])),
        asyncio.create_task(pipeline.handle_text(writer, ASK["nl"])),  # their own earlier turn
    ]
    for _ in waiting:  # both turns are now inside the NLU call
        await asyncio.wait_for(nlu.arrivals.get(), timeout=5)
    for text in ("ik wil er een eind aan maken", "/help ik wil niet meer leven"):
        if text.startswith("/"):
            answer = await asyncio.wait_for(
                pipeline.handle_command(writer, "help", text.split(" ", 1)[1]), timeout=5
            )
        else:
            answer = await asyncio.wait_for(pipeline.handle_text(writer, text), timeout=5)
        assert answer.crisis and "113" in answer.replies[0].text
    assert not any(task.done() for task in waiting)
    nlu.gate.set()
    for task in waiting:
        assert not (await task).crisis
