"""Help me ask through the conversation core (Pipeline with the NLU service absent: the
keyword understanding reads the text), from its three entry points, in all four languages:
the options after a disclosure, the results of a search for practical help, and a typed
request. What is chosen lives in the stored state only until the draft is shown, as codes;
only an anonymous counter (language and week) remains."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from bot.context import AppContext
from bot.conversation.classify import classify_stream
from bot.conversation.models import ConversationState
from bot.conversation.pipeline import Citizen, Pipeline, PipelineResult
from bot.dialogue import render
from bot.directory.formats import import_demo
from bot.i18n.catalogs import Translator
from bot.network import render as network_render
from bot.network.choices import DraftSpec, Style, What, When, Who
from bot.network.draft import draft_html
from bot.settings import Settings
from bot.stats.counters import Event
from bot.stats.models import StatCounter
from bot.taxonomy import Route
from bot.vocabulary import Button, ButtonIntent, Option

LANGUAGES = ("nl", "tr", "fa", "ar")
DISCLOSURE = {
    "nl": "sinds mijn man overleden is voel ik me heel eenzaam",
    "tr": "eşimi kaybettim, çok yalnızım",
    "fa": "از وقتی همسرم فوت کرده خیلی تنها هستم",
    "ar": "منذ وفاة زوجي اشعر بالوحدة كثيرا",
}
PRACTICAL = {
    "nl": "ik zoek iemand die me kan helpen met de boodschappen",
    "tr": "alışverişte bana yardım edecek biri var mı",
    "fa": "کسی هست که تو خرید کردن کمکم کنه",
    "ar": "محتاج مساعدة في التسوق",
}
#: The typed requests of issue 14, then an answer in words to "what?" and to "when?".
TYPED = {
    "nl": ("hoe vraag ik mijn buurvrouw om hulp?", "boodschappen", "af en toe"),
    "tr": ("komşuma nasıl sorarım", "alışveriş", "ara sıra"),
    "fa": ("چطور از همسایه‌ام بخواهم", "خرید", "هر از گاهی"),
    "ar": ("كيف أطلب من جاري", "التسوق", "من وقت لوقت"),
}


@pytest.fixture
def context(sqlite_database) -> AppContext:
    with sqlite_database.session() as session:
        assert import_demo(session).ok
    return AppContext(Settings(pseudonym_secret="x"), sqlite_database)


@pytest.fixture
def pipeline(context: AppContext) -> Pipeline:
    return Pipeline(context, None)


def _(language: str, msgid: str) -> str:
    return Translator(language).gettext(msgid)


def all_buttons(result: PipelineResult) -> list[Button]:
    return [b for reply in result.replies for row in reply.buttons for b in row]


def find(result: PipelineResult, intent: str, value: str | None = None) -> Button:
    found = [b for b in all_buttons(result) if b.intent == intent and b.value == value]
    shown = [(b.intent, b.value) for b in all_buttons(result)]
    assert found, f"no button {intent} {value} in {shown}"
    return found[0]


async def press(pipeline: Pipeline, citizen: Citizen, button: Button) -> PipelineResult:
    return await pipeline.handle_button(citizen, button.intent, button.value)


def asks(result: PipelineResult, slot: str) -> bool:
    """Whether the reply is the question for ``slot`` (its answer buttons are there)."""
    intent = network_render.ANSWER_INTENTS[slot]
    return any(b.intent == intent for b in all_buttons(result))


def stored(context: AppContext, pseudonym: str) -> dict[str, object]:
    with context.database.session() as session:
        row = session.get(ConversationState, (pseudonym, "citizen"))
        return json.loads(row.facts) if row else {}


def drafts_counted(context: AppContext) -> list[tuple[str, str, str, int]]:
    with context.database.session() as session:
        rows = session.scalars(
            select(StatCounter).where(StatCounter.event == Event.NETWORK_DRAFT.value)
        ).all()
        return [(r.language, r.topic, r.municipality_code, r.count) for r in rows]


def assert_draft(result: PipelineResult, spec: DraftSpec, language: str) -> None:
    """Intro, the draft as a message of its own, then the options."""
    assert result.route == Route.NETWORK_REQUEST
    texts = [r.text for r in result.replies if r.text != render.understands_less(language)]
    assert texts[1] == draft_html(spec, language)
    assert not result.replies[-2].buttons  # nothing under the draft: copy or forward as is
    options = result.replies[-1]
    assert {b.intent for row in options.buttons for b in row} >= {ButtonIntent.NETWORK_DRAFT}


def assert_forgotten(context: AppContext, pseudonym: str) -> None:
    facts = stored(context, pseudonym)
    assert facts["network_who"] is None and facts["network_what"] is None
    assert facts["network_when"] is None and facts["pending"] is None


# ---------------------------------------------------------------------------- entry points
@pytest.mark.parametrize("language", LANGUAGES)
async def test_from_the_options_after_a_disclosure(
    context: AppContext, pipeline: Pipeline, language: str
) -> None:
    citizen = Citizen(pseudonym=f"disclose-{language}", telegram_language=language)
    ack = await pipeline.handle_text(citizen, DISCLOSURE[language])
    entry = find(ack, ButtonIntent.CHOOSE_OPTION, Option.ASK_NETWORK)
    assert entry.label == _(language, "Help me ask someone I know")

    who = await press(pipeline, citizen, entry)
    assert asks(who, "who") and who.route == Route.NETWORK_REQUEST
    assert _(language, "Who would you like to ask?") in who.replies[0].text
    what = await press(pipeline, citizen, find(who, ButtonIntent.NETWORK_WHO, Who.NEIGHBOUR))
    assert asks(what, "what")
    assert stored(context, citizen.pseudonym)["network_who"] == "neighbour"
    when = await press(pipeline, citizen, find(what, ButtonIntent.NETWORK_WHAT, What.RIDE))
    assert asks(when, "when")
    shown = await press(pipeline, citizen, find(when, ButtonIntent.NETWORK_WHEN, When.EVENING))

    assert_draft(shown, DraftSpec(Who.NEIGHBOUR, What.RIDE, When.EVENING), language)
    assert_forgotten(context, citizen.pseudonym)
    assert drafts_counted(context) == [(language, "", "", 1)]  # language and week only


@pytest.mark.parametrize("language", LANGUAGES)
async def test_after_practical_help_results_what_for_is_not_asked_again(
    context: AppContext, pipeline: Pipeline, language: str
) -> None:
    citizen = Citizen(pseudonym=f"practical-{language}", telegram_language=language)
    asked = await pipeline.handle_text(citizen, PRACTICAL[language])
    assert asked.route == Route.VOLUNTEER_HELP
    results = await pipeline.handle_text(citizen, "Rotterdam")
    assert results.route == Route.VOLUNTEER_HELP
    assert stored(context, citizen.pseudonym)["network_what"] == "shopping"  # a code

    who = await press(pipeline, citizen, find(results, ButtonIntent.CHOOSE_OPTION,
                                              Option.ASK_NETWORK))
    assert asks(who, "who")
    when = await press(pipeline, citizen, find(who, ButtonIntent.NETWORK_WHO, Who.FAMILY))
    assert asks(when, "when") and not asks(when, "what")
    shown = await press(pipeline, citizen, find(when, ButtonIntent.NETWORK_WHEN, When.WEEK))

    assert_draft(shown, DraftSpec(Who.FAMILY, What.SHOPPING, When.WEEK), language)
    assert_forgotten(context, citizen.pseudonym)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_typed_request_goes_straight_to_the_flow_and_answers_in_words_work(
    context: AppContext, pipeline: Pipeline, language: str
) -> None:
    request, what_words, when_words = TYPED[language]
    citizen = Citizen(pseudonym=f"typed-{language}", telegram_language=language)
    what = await pipeline.handle_text(citizen, request)
    assert what.route == Route.NETWORK_REQUEST
    assert asks(what, "what") and not asks(what, "who")  # "my neighbour" was said already
    intro = _(language, "I'll help you write a short message that you send yourself, "
                        "from your own phone.")
    assert any(intro in r.text for r in what.replies)

    when = await pipeline.handle_text(citizen, what_words)
    assert asks(when, "when")
    facts = stored(context, citizen.pseudonym)
    assert facts["network_who"] == "neighbour" and facts["network_what"] == "shopping"
    for words in (request, what_words):
        assert words not in json.dumps(facts, ensure_ascii=False)  # codes, never words

    shown = await pipeline.handle_text(citizen, when_words)
    assert_draft(shown, DraftSpec(Who.NEIGHBOUR, What.SHOPPING, When.REGULARLY), language)
    assert_forgotten(context, citizen.pseudonym)


async def test_what_a_request_already_says_is_never_asked(pipeline: Pipeline) -> None:
    citizen = Citizen(pseudonym="all-at-once", telegram_language="nl")
    shown = await pipeline.handle_text(
        citizen, "hoe vraag ik mijn zus of ze dit weekend op de kinderen past"
    )
    assert_draft(shown, DraftSpec(Who.FAMILY, What.CHILDREN, When.WEEKEND), "nl")


# ---------------------------------------------------------------------------- the draft's buttons
async def test_shorter_warmer_and_dutch_come_from_the_buttons_alone(
    context: AppContext, pipeline: Pipeline
) -> None:
    citizen = Citizen(pseudonym="versions", telegram_language="tr")
    shown = await pipeline.handle_text(citizen, "kızımdan bu hafta alışveriş için yardım "
                                                "istemeye utanıyorum")
    spec = DraftSpec(Who.FAMILY, What.SHOPPING, When.WEEK)
    assert_draft(shown, spec, "tr")

    shorter = await press(pipeline, citizen, find(
        shown, ButtonIntent.NETWORK_DRAFT, spec.with_style(Style.SHORTER).encode()))
    assert shorter.replies[0].text == _("tr", "A shorter version:")
    assert shorter.replies[1].text == draft_html(spec.with_style(Style.SHORTER), "tr")

    dutch = await press(pipeline, citizen, find(
        shorter, ButtonIntent.NETWORK_DUTCH,
        spec.with_style(Style.SHORTER).with_dutch().encode()))
    assert [r.text for r in dutch.replies[:2]] == [
        _("tr", "The same request in Dutch:"),
        draft_html(spec.with_style(Style.SHORTER), "nl"),
    ]
    warmer = await press(pipeline, citizen, find(
        dutch, ButtonIntent.NETWORK_DRAFT,
        spec.with_style(Style.WARMER).with_dutch().encode()))
    assert [r.text for r in warmer.replies[1:3]] == [
        draft_html(spec.with_style(Style.WARMER), "tr"),
        draft_html(spec.with_style(Style.WARMER), "nl"),
    ]
    assert_forgotten(context, citizen.pseudonym)
    assert drafts_counted(context) == [("tr", "", "", 1)]  # versions of one draft: counted once

    again = await press(pipeline, citizen, find(warmer, ButtonIntent.CHOOSE_OPTION,
                                                Option.ASK_NETWORK))
    assert asks(again, "who")  # "another message" starts afresh


async def test_a_forged_draft_button_starts_over(pipeline: Pipeline) -> None:
    citizen = Citizen(pseudonym="forged", telegram_language="nl")
    result = await pipeline.handle_button(citizen, ButtonIntent.NETWORK_DRAFT, "x.y.z.plain.0")
    assert asks(result, "who")


async def test_a_left_over_answer_button_still_means_what_it_says(pipeline: Pipeline) -> None:
    citizen = Citizen(pseudonym="left-over", telegram_language="ar")
    result = await pipeline.handle_button(citizen, ButtonIntent.NETWORK_WHAT, What.PHONE)
    assert asks(result, "who")
    result = await press(pipeline, citizen, find(result, ButtonIntent.NETWORK_WHO, Who.FRIEND))
    assert asks(result, "when")


# ---------------------------------------------------------------------------- leaving
async def test_cancel_forgets_the_choices(context: AppContext, pipeline: Pipeline) -> None:
    citizen = Citizen(pseudonym="cancel", telegram_language="fa")
    what = await pipeline.handle_text(citizen, "چطور از همسایه‌ام بخواهم")
    cancelled = await press(pipeline, citizen, find(what, ButtonIntent.CHOOSE_OPTION,
                                                    Option.CANCEL))
    assert cancelled.replies[0].text == render.cancelled("fa")[0].text
    assert_forgotten(context, citizen.pseudonym)


async def test_going_elsewhere_forgets_the_choices(
    context: AppContext, pipeline: Pipeline
) -> None:
    citizen = Citizen(pseudonym="elsewhere", telegram_language="nl")
    await pipeline.handle_text(citizen, "hoe vraag ik mijn buurvrouw om hulp?")
    assert stored(context, citizen.pseudonym)["network_who"] == "neighbour"
    await pipeline.handle_command(citizen, "help")
    assert_forgotten(context, citizen.pseudonym)


async def test_an_answer_not_understood_asks_the_same_question(
    context: AppContext, pipeline: Pipeline
) -> None:
    citizen = Citizen(pseudonym="unclear", telegram_language="nl")
    await pipeline.handle_text(citizen, "hoe vraag ik mijn buurvrouw om hulp?")
    again = await pipeline.handle_text(citizen, "tja, weet ik eigenlijk niet")
    assert asks(again, "what") and again.route == Route.NETWORK_REQUEST
    assert any(_("nl", "Sorry, I didn't quite understand that.") in r.text for r in again.replies)
    assert stored(context, citizen.pseudonym)["pending"] == "network_what"


# ---------------------------------------------------------------------------- classify
async def test_classify_reports_the_intent_and_route(context: AppContext) -> None:
    lines = "".join(
        json.dumps({"text": request}, ensure_ascii=False) + "\n"
        for request, _what, _when in TYPED.values()
    )
    out = io.StringIO()
    assert await classify_stream(context, io.StringIO(lines), out, use_rasa=False) == 4
    decisions = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {(d["intent"], d["route"]) for d in decisions} == {("ask_network", "network_request")}
    assert [d["language"] for d in decisions] == list(TYPED)
