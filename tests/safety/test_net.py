"""The crisis net's verdict and answer: sentences, kinds, the first line, every input path of
the pipeline (with the NLU service down, the lexicon alone must still answer)."""

from __future__ import annotations

import re

import pytest

from bot.channels.telegram_app import split_command
from bot.context import AppContext
from bot.conversation.pipeline import Citizen, Pipeline
from bot.directory.national_lines import national_line
from bot.i18n.catalogs import Translator
from bot.safety.answer import crisis_replies
from bot.safety.kinds import CrisisKind, FirstLine, first_line
from bot.safety.net import lexicon_signal, model_crisis, model_signal, topics_read
from bot.settings import Settings
from bot.text.sentences import split_sentences
from bot.vocabulary import NluResult

LANGUAGES = ("nl", "tr", "fa", "ar")
VEILIG_THUIS = national_line("veilig_thuis").phone or ""
KINDERTELEFOON = national_line("kindertelefoon").phone or ""


def _first_number(text: str) -> str:
    """Which of 112, 113 and Veilig Thuis a text names first."""
    spots = {
        "112": re.search(r"(?<!\d)112(?!\d)", text),
        "113": re.search(r"(?<!\d)113(?!\d)", text),
        "veilig_thuis": re.search(re.escape(VEILIG_THUIS), text),
    }
    return min((m.start(), name) for name, m in spots.items() if m)[1]


def test_sentences_keep_short_bits_with_their_neighbour() -> None:
    assert split_sentences("Hoi. Ik zoek een groep in Tilburg. Ik ben een last.") == [
        "Hoi. Ik zoek een groep in Tilburg.",
        "Ik ben een last.",
    ]
    assert split_sentences("سلام؟ من خیلی خسته‌ام و تنها هستم؟ آره") == [
        "سلام؟ من خیلی خسته‌ام و تنها هستم؟ آره"
    ]
    assert split_sentences("one line\nsecond line here\n\nthird line here") == [
        "one line second line here",
        "third line here",
    ]
    assert len(split_sentences(". ".join(["een twee drie"] * 20))) == 8


async def test_the_model_hears_one_sentence_among_several() -> None:
    asked: list[str] = []

    async def parse(text: str) -> NluResult:
        asked.append(text)
        crisis = text == "My family would be calmer without me."
        return NluResult(
            intent="crisis" if crisis else "seek_peer_group",
            confidence=0.9 if crisis else 0.4,
            ranking=(("crisis", 0.9),) if crisis else (("crisis", 0.1),),
        )

    text = "I'm looking for a language cafe in Tilburg. My family would be calmer without me."
    assert await model_crisis(text, parse)
    assert asked[0] == text and len(asked) == 3  # the whole message and each sentence
    asked.clear()
    assert not await model_crisis("Just one sentence here.", parse, include_whole=False)
    assert asked == []  # a one-sentence message is left to the dialogue turn


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ((CrisisKind.SUICIDE,), "113"),
        ((CrisisKind.VIOLENCE_HOME,), "veilig_thuis"),
        ((CrisisKind.CHILD,), "veilig_thuis"),
        ((CrisisKind.FORCED_MARRIAGE,), "veilig_thuis"),
        ((CrisisKind.DANGER_NOW, CrisisKind.VIOLENCE_HOME), "112"),
        ((CrisisKind.VIOLENCE_HOME, CrisisKind.SUICIDE), "113"),  # most urgent first
        ((), "113"),
    ],
)
def test_the_answer_offers_the_right_line_first(
    language: str, kinds: tuple[CrisisKind, ...], expected: str
) -> None:
    replies = crisis_replies(language, kinds)
    text = replies[0].text
    assert _first_number(text) == expected
    assert text.count(VEILIG_THUIS) <= 1  # Veilig Thuis named once, whatever the kinds
    assert "112" in text
    hides = any(k in kinds for k in (CrisisKind.VIOLENCE_HOME, CrisisKind.CHILD,
                                     CrisisKind.FORCED_MARRIAGE))
    assert (len(replies) == 2) == hides
    assert Translator(language).gettext("You can keep writing to me here.") in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_young_writer_also_gets_de_kindertelefoon(language: str) -> None:
    assert KINDERTELEFOON in crisis_replies(language, (CrisisKind.CHILD,), minor=True)[0].text
    assert KINDERTELEFOON not in crisis_replies(language, (CrisisKind.CHILD,))[0].text


def test_danger_now_comes_first_and_is_completed_by_what_it_is_about() -> None:
    assert first_line((CrisisKind.DANGER_NOW,)) == FirstLine.EMERGENCY
    overdose = lexicon_signal("ik heb net al mijn pillen ingenomen")
    assert overdose is not None and overdose.first_line == FirstLine.EMERGENCY
    knife = lexicon_signal("hij staat met een mes voor de deur en wil me vermoorden")
    assert knife is not None and knife.first_line == FirstLine.EMERGENCY
    # Whatever is behind the danger, the answer goes on with a line for it.
    for signal in (overdose, knife):
        assert len(signal.kinds) >= 2, signal.kinds


def test_the_model_alone_without_cue_words_means_113_first() -> None:
    signal = model_signal("het heeft allemaal geen zin")
    assert signal.kinds == (CrisisKind.SUICIDE,) and not signal.at_home


def test_the_lexicon_names_the_kind() -> None:
    signal = lexicon_signal("mijn man slaat me")
    assert signal is not None and signal.first_line == FirstLine.VEILIG_THUIS and signal.at_home
    assert lexicon_signal("ik zoek een groep in Tilburg") is None


@pytest.fixture
def pipeline(sqlite_database) -> Pipeline:
    """A pipeline without the NLU service: the lexicon alone must answer every path."""
    return Pipeline(AppContext(Settings(pseudonym_secret="x"), sqlite_database), None)


@pytest.mark.parametrize(
    ("command", "argument", "expected"),
    [
        ("help", "ik wil er een eind aan maken", "113"),
        ("privacy", "mijn man slaat me elke dag", "veilig_thuis"),
        ("start", "artik yasamak istemiyorum", "113"),
        ("hulp", "ik wil dood", "113"),  # an unknown command: its words are free text
    ],
)
async def test_text_after_a_command_meets_the_crisis_net(
    pipeline: Pipeline, command: str, argument: str, expected: str
) -> None:
    result = await pipeline.handle_command(Citizen("p-cmd"), command, argument)
    assert result.crisis
    assert _first_number(result.replies[0].text) == expected


async def test_a_deep_link_payload_is_not_read_as_words(pipeline: Pipeline) -> None:
    group = "005fdab5-b2a2-5b01-9e13-1279a6b2731a"
    result = await pipeline.handle_command(Citizen("p-deep"), "start", group)
    assert not result.crisis
    # One word after /start that the bot did not make is read like any other text.
    result = await pipeline.handle_command(Citizen("p-deep2"), "start", "zelfmoordgedachten")
    assert result.crisis


def test_a_command_ends_at_any_whitespace() -> None:
    assert split_command("/help@SteunwijzerBot\nzelfmoordgedachten heb ik") == (
        "help",
        "zelfmoordgedachten heb ik",
    )
    assert split_command("/Privacy") == ("privacy", "")


def test_the_model_alone_with_violence_read_anywhere_means_veilig_thuis_first() -> None:
    """No cue word, but the model read the topic violence in one of the sentences."""
    readings = (
        NluResult("crisis", 0.6),
        NluResult("share_situation", 0.7, entities=(("topic", "violence"),)),
    )
    text = "het is weer gebeurd en ik weet niet waar ik heen moet"
    signal = model_signal(text, topics_read(readings))
    assert signal.first_line == first_line((CrisisKind.VIOLENCE_HOME,))
    assert model_signal("het heeft allemaal geen zin", ("grief", None)).kind == CrisisKind.SUICIDE
