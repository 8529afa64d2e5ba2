"""The router every channel uses: the crisis net in front, then a facilitator's guided step,
then the citizen pipeline (here without the NLU service: the lexicon alone must answer)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from staffgroups import SPRING, Clock, make_group

from bot.channels.router import Router, split_command
from bot.context import AppContext
from bot.conversation.models import ConversationState
from bot.conversation.pipeline import Citizen, Pipeline
from bot.facilitators import membership
from bot.i18n.catalogs import Translator
from bot.privacy.sealed import generate_key
from bot.settings import Settings

SUICIDAL = {"nl": "ik wil er een eind aan maken", "tr": "artik yasamak istemiyorum"}


@pytest.fixture
def router(sqlite_database) -> Router:
    settings = Settings(encryption_key=generate_key(), pseudonym_secret="router-test",
                        telegram_bot_username="SteunwijzerTestBot")
    return Router.around(Pipeline(AppContext(settings, sqlite_database, Clock(SPRING)), None))


async def in_a_guided_step(router: Router, person: Citizen) -> str:
    """Make ``person`` a facilitator with a name; returns the group id."""
    context = router.pipeline.context
    with context.database.session() as session:
        group_id = make_group(session)
        token = membership.create_invitation(session, context, group_id, "cli").token
    await router.message(person, f"/start inv_{token}")
    return group_id


def facilitator_steps(router: Router) -> list[str]:
    with router.pipeline.context.database.session() as session:
        return list(session.scalars(select(ConversationState.facts).where(
            ConversationState.flow == "facilitator")))


@pytest.mark.parametrize("language", sorted(SUICIDAL))
async def test_a_crisis_typed_into_a_guided_step_gets_the_crisis_answer(router: Router,
                                                                        language: str) -> None:
    person = Citizen("router-a", telegram_language=language)
    await in_a_guided_step(router, person)
    steps_before = facilitator_steps(router)
    result = await router.message(person, SUICIDAL[language])
    assert result.crisis and "113" in result.replies[0].text
    # The step was not answered: the name question still waits.
    assert facilitator_steps(router) == steps_before != []


async def test_words_after_a_facilitator_command_meet_the_crisis_net(router: Router) -> None:
    person = Citizen("router-b", telegram_language="nl")
    result = await router.message(person, "/newmeeting " + SUICIDAL["nl"])
    assert result.crisis
    result = await router.message(person, "/start inv_abcdefgh12345678 " + SUICIDAL["nl"])
    assert result.crisis


async def test_a_citizen_command_ends_a_guided_conversation(router: Router) -> None:
    person = Citizen("router-c", telegram_language="tr")
    await in_a_guided_step(router, person)
    await router.message(person, "Ayşe")  # the name: now a facilitator
    asked = await router.message(person, "/newmeeting")
    assert asked.replies[0].text == Translator("tr").gettext(
        "On which day? Choose a day or type a date (for example 24-12-2026).")
    assert facilitator_steps(router)
    answered = await router.message(person, "/privacy")
    assert not answered.crisis and answered.replies
    assert facilitator_steps(router) == []
    # Text goes to the citizen dialogue again, not to the date question.
    later = await router.message(person, "24-12-2026")
    assert Translator("tr").gettext("I could not read that date. Type it like 24-12-2026, or "
                                    "use a button.") not in later.replies[0].text


def test_a_command_ends_at_any_whitespace() -> None:
    assert split_command("/newmeeting@SteunwijzerBot\nabc-123") == ("newmeeting", "abc-123")
    assert split_command("/MyGroups") == ("mygroups", "")
