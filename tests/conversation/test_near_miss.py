"""A model alarm that rests on a near miss the lexicons know is taken back.

"I was dead from laughing" scores high on the crisis intent of a bag-of-words model. The
lexicons already blank such phrases for themselves (their ``exclude`` sections); the model is
asked again about what remains, and only a crisis it still sees there counts. The NLU replica
is a stand-in that knows the whole message as a crisis and the remainder as an ordinary
question, or the remainder as a crisis too.
"""

from __future__ import annotations

import pytest
from fake_nlu import FakeNlu

from bot.context import AppContext
from bot.conversation.nlu_client import NluClient
from bot.conversation.pipeline import Citizen, Pipeline
from bot.safety.crisis import near_misses_removed
from bot.safety.net import Parse, lexicon_signal, model_crisis, without_crisis
from bot.taxonomy import Route
from bot.vocabulary import NluResult

#: A near miss the lexicon of each language blanks, in an ordinary question for a group.
LAUGHING = {
    "nl": "ik lag dood van het lachen om dat filmpje. is er een wandelgroep in Tilburg?",
    "tr": "gülmekten öldüm valla. Tilburg'da bir yürüyüş grubu var mı?",
    "fa": "از خنده مردم واقعا. تو تیلبورخ گروه پیاده‌روی هست؟",
    "ar": "مت من الضحك والله. في مجموعة مشي في تيلبورخ؟",
}


def _model_alarmed_by(words: str) -> Parse:
    """A stand-in model: a crisis wherever ``words`` appear, nothing elsewhere."""

    async def parse(text: str) -> NluResult:
        score = 0.8 if words in text else 0.1
        intent = "crisis" if score > 0.5 else "out_of_scope"
        return NluResult(intent, 0.8, ranking=(("crisis", score),))

    return parse


@pytest.mark.parametrize("language", sorted(LAUGHING))
@pytest.mark.parametrize("remainder_is_crisis", [False, True])
async def test_an_alarm_resting_on_a_near_miss_is_taken_back(
    context: AppContext, language: str, remainder_is_crisis: bool
) -> None:
    text = LAUGHING[language]
    assert lexicon_signal(text) is None  # the model alone would raise the alarm
    (rest,) = near_misses_removed(text)
    again = "crisis" if remainder_is_crisis else "out_of_scope"
    meanings = {text: ("crisis", {}), rest: (again, {})}
    async with FakeNlu(meanings).running() as nlu:
        pipeline = Pipeline(context, NluClient([nlu.url], token=nlu.token, timeout=5))
        result = await pipeline.handle_text(Citizen(f"p-near-{language}"), text)
        decision = await pipeline.classify(text, language)
    # The crisis answer (the engine's crisis route for the message as a whole) or not.
    assert (result.route == Route.CRISIS_LINE) is remainder_is_crisis
    assert (decision.route == Route.CRISIS_LINE) is remainder_is_crisis
    assert rest in nlu.texts  # asked again about what remains


def test_without_crisis_the_next_intent_leads() -> None:
    nlu = NluResult("crisis", 0.5, ranking=(("crisis", 0.5), ("share_situation", 0.3)))
    assert without_crisis(nlu) == NluResult(
        "share_situation", 0.3, ranking=(("share_situation", 0.3),)
    )
    assert near_misses_removed("ik zoek een groep in Tilburg") == ()


async def test_every_input_path_takes_the_same_second_look() -> None:
    """model_crisis (commands, captions, edited messages) asks again as the free-text path
    does; a crisis said beside the near miss still counts."""
    parse = _model_alarmed_by("dood")
    assert not await model_crisis("ik lag dood van het lachen om dat filmpje", parse)
    assert await model_crisis("ik lag dood van het lachen, maar vanbinnen ben ik dood", parse)


async def test_a_near_miss_in_one_sentence_does_not_take_back_another_sentence() -> None:
    """The second look is per sentence: the crisis sits in the last sentence, the near miss
    in the first."""
    parse = _model_alarmed_by("alles geregeld")
    text = (
        "Ik lag gisteren dood van het lachen om die film. Ik zoek een taalcafé in Tilburg. "
        "Ik heb alles geregeld voor morgen."
    )
    assert lexicon_signal(text) is None
    assert await model_crisis(text, parse)


def test_the_model_is_asked_about_the_words_as_written() -> None:
    """Not the folded key: the model learnt from text with its letters and punctuation."""
    (rest,) = near_misses_removed("از خنده مردم واقعا. دلم برای مادرم تنگ شده و می‌خوام بمیرم")
    assert rest == "واقعا. دلم برای مادرم تنگ شده و می‌خوام بمیرم"
